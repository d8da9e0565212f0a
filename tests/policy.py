"""Who may call what, written down by hand: the access matrix checks every route against this table,
so a route that declares the wrong roles (or a new route nobody has thought about) fails a test.

Roles: any = every logged-in user; admin, bureau, mentor = city roles; operator, founder = roles in the
park of the path."""

ANY = ("any",)
ADMIN = ("admin",)
CITY = ("admin", "bureau")
PARK_STAFF = ("admin", "bureau", "operator")
PARK_PEOPLE = ("admin", "bureau", "founder", "operator")
PARK_WRITERS = ("admin", "operator")
MENTOR = ("mentor",)
FILERS = ("admin", "founder", "operator")
FOUNDER_ONLY = ("founder",)

INCUBATEE = "/api/parks/{park_id:uuid}/incubatees/{incubatee_id:uuid}"
FOUNDER = INCUBATEE + "/founders/{founder_id:uuid}"
INCUBATEE_PAGE = "/parks/{park_id:uuid}/incubatees/{incubatee_id:uuid}"
FOUNDER_PAGE = INCUBATEE_PAGE + "/founders/{founder_id:uuid}"
PORTAL = "/parks/{park_id:uuid}/portal"
RATINGS = "/api/parks/{park_id:uuid}/ratings"
PARK_API = "/api/parks/{park_id:uuid}"
SUPPORT_PAGE = "/parks/{park_id:uuid}/support"
TRAINING = "/api/parks/{park_id:uuid}/trainings/{training_id:uuid}"
ENROLMENT = TRAINING + "/enrolments/{enrolment_id:uuid}"
TRAINEE = "/api/parks/{park_id:uuid}/trainees/{trainee_id:uuid}"
TRAINING_PAGE = "/parks/{park_id:uuid}/trainings/{training_id:uuid}"
TRAINEE_PAGE = "/parks/{park_id:uuid}/trainees/{trainee_id:uuid}"

POLICY: dict[tuple[str, str], tuple[str, ...]] = {
    # the shell
    ("GET", "/"): ANY,
    ("POST", "/logout"): ANY,
    ("DELETE", "/api/auth/token"): ANY,
    ("GET", "/api/auth/me"): ANY,
    # accounts: the administrator's
    ("GET", "/users"): ADMIN,
    ("GET", "/users/new"): ADMIN,
    ("POST", "/users/new"): ADMIN,
    ("GET", "/users/{user_id:uuid}/edit"): ADMIN,
    ("POST", "/users/{user_id:uuid}/edit"): ADMIN,
    ("POST", "/users/{user_id:uuid}/memberships"): ADMIN,
    ("POST", "/users/{user_id:uuid}/memberships/{membership_id:uuid}/delete"): ADMIN,
    ("GET", "/api/users"): ADMIN,
    ("POST", "/api/users"): ADMIN,
    ("GET", "/api/users/{user_id:uuid}"): ADMIN,
    ("PATCH", "/api/users/{user_id:uuid}"): ADMIN,
    ("POST", "/api/users/{user_id:uuid}/memberships"): ADMIN,
    ("DELETE", "/api/users/{user_id:uuid}/memberships/{membership_id:uuid}"): ADMIN,
    # parks: everyone lists the parks they may see; only the administrator creates and edits them
    ("GET", "/parks"): ANY,
    ("GET", "/api/parks"): ANY,
    ("GET", "/parks/new"): ADMIN,
    ("POST", "/parks/new"): ADMIN,
    ("POST", "/api/parks"): ADMIN,
    ("GET", "/parks/{park_id:uuid}"): PARK_PEOPLE,
    ("GET", "/api/parks/{park_id:uuid}"): PARK_PEOPLE,
    ("GET", "/parks/{park_id:uuid}/edit"): ADMIN,
    ("POST", "/parks/{park_id:uuid}/edit"): ADMIN,
    ("PATCH", "/api/parks/{park_id:uuid}"): ADMIN,
    ("GET", "/parks/{park_id:uuid}/dashboard"): PARK_STAFF,
    ("GET", "/api/parks/{park_id:uuid}/dashboard"): PARK_STAFF,
    # the audit trail: the city's for admin and bureau, a park's for its operators too
    ("GET", "/audit"): CITY,
    ("GET", "/api/audit"): CITY,
    ("GET", "/parks/{park_id:uuid}/audit"): PARK_STAFF,
    ("GET", "/api/parks/{park_id:uuid}/audit"): PARK_STAFF,
    # incubatees: the bureau reads, operators (and the administrator) write; ID numbers are revealed
    # only to those who write
    ("GET", "/api/parks/{park_id:uuid}/incubatees"): PARK_STAFF,
    ("POST", "/api/parks/{park_id:uuid}/incubatees"): PARK_WRITERS,
    ("GET", INCUBATEE): PARK_STAFF,
    ("PATCH", INCUBATEE): PARK_WRITERS,
    ("POST", INCUBATEE + "/admission"): PARK_WRITERS,
    ("POST", INCUBATEE + "/departure"): PARK_WRITERS,
    ("POST", INCUBATEE + "/founders"): PARK_WRITERS,
    ("GET", INCUBATEE + "/follow-ups"): PARK_STAFF,
    ("POST", INCUBATEE + "/follow-ups"): PARK_WRITERS,
    ("POST", INCUBATEE_PAGE + "/follow-ups"): PARK_WRITERS,
    ("PATCH", FOUNDER): PARK_WRITERS,
    ("DELETE", FOUNDER): PARK_WRITERS,
    ("POST", FOUNDER + "/id-number"): PARK_WRITERS,
    # space: the bureau reads, operators write
    ("GET", "/api/parks/{park_id:uuid}/buildings"): PARK_STAFF,
    ("POST", "/api/parks/{park_id:uuid}/buildings"): PARK_WRITERS,
    ("GET", "/api/parks/{park_id:uuid}/units"): PARK_STAFF,
    ("POST", "/api/parks/{park_id:uuid}/units"): PARK_WRITERS,
    ("GET", "/api/parks/{park_id:uuid}/units/{unit_id:uuid}"): PARK_STAFF,
    ("PATCH", "/api/parks/{park_id:uuid}/units/{unit_id:uuid}"): PARK_WRITERS,
    ("GET", "/api/parks/{park_id:uuid}/leases"): PARK_STAFF,
    ("POST", "/api/parks/{park_id:uuid}/leases"): PARK_WRITERS,
    ("GET", "/api/parks/{park_id:uuid}/leases/{lease_id:uuid}"): PARK_STAFF,
    ("PATCH", "/api/parks/{park_id:uuid}/leases/{lease_id:uuid}"): PARK_WRITERS,
    ("GET", "/api/parks/{park_id:uuid}/occupancy"): PARK_STAFF,
    # the mentor pool: every park sees it, the bureau keeps it
    ("GET", "/api/mentors"): ANY,
    ("POST", "/api/mentors"): CITY,
    ("GET", "/api/mentors/{mentor_id:uuid}"): ANY,
    ("PATCH", "/api/mentors/{mentor_id:uuid}"): CITY,
    ("GET", "/api/parks/{park_id:uuid}/mentor-assignments"): PARK_STAFF,
    ("POST", "/api/parks/{park_id:uuid}/mentor-assignments"): PARK_WRITERS,
    ("POST", "/api/parks/{park_id:uuid}/mentor-assignments/{assignment_id:uuid}/end"): PARK_WRITERS,
    ("GET", "/api/parks/{park_id:uuid}/mentor-sessions"): PARK_STAFF,
    ("POST", "/api/parks/{park_id:uuid}/mentor-sessions/{session_id:uuid}/confirm"): PARK_WRITERS,
    ("POST", "/api/parks/{park_id:uuid}/mentor-sessions/{session_id:uuid}/return"): PARK_WRITERS,
    # a mentor's own desk
    ("GET", "/api/my/mentees"): MENTOR,
    ("GET", "/api/my/sessions"): MENTOR,
    ("POST", "/api/my/sessions"): MENTOR,
    ("PATCH", "/api/my/sessions/{session_id:uuid}"): MENTOR,
    ("POST", "/api/my/sessions/{session_id:uuid}/submit"): MENTOR,
    ("GET", "/api/my/hours"): MENTOR,
    ("GET", "/mentors"): ANY,
    ("GET", "/mentors/new"): CITY,
    ("POST", "/mentors/new"): CITY,
    ("GET", "/mentors/{member_id:uuid}/edit"): CITY,
    ("POST", "/mentors/{member_id:uuid}/edit"): CITY,
    ("GET", "/my/mentees"): MENTOR,
    ("GET", "/my/sessions"): MENTOR,
    ("GET", "/my/sessions/new"): MENTOR,
    ("POST", "/my/sessions/new"): MENTOR,
    ("GET", "/my/sessions/{session_id:uuid}/edit"): MENTOR,
    ("POST", "/my/sessions/{session_id:uuid}/edit"): MENTOR,
    ("GET", "/my/hours"): MENTOR,
    ("GET", "/parks/{park_id:uuid}/mentor-sessions"): PARK_STAFF,
    ("POST", "/parks/{park_id:uuid}/mentor-sessions/{session_id:uuid}/confirm"): PARK_WRITERS,
    ("POST", "/parks/{park_id:uuid}/mentor-sessions/{session_id:uuid}/return"): PARK_WRITERS,
    ("GET", "/parks/{park_id:uuid}/space"): PARK_STAFF,
    ("POST", "/parks/{park_id:uuid}/space/buildings"): PARK_WRITERS,
    ("POST", "/parks/{park_id:uuid}/space/units"): PARK_WRITERS,
    ("GET", "/parks/{park_id:uuid}/space/units/{unit_id:uuid}"): PARK_STAFF,
    ("POST", "/parks/{park_id:uuid}/space/units/{unit_id:uuid}/leases"): PARK_WRITERS,
    ("GET", "/parks/{park_id:uuid}/incubatees"): PARK_STAFF,
    ("GET", "/parks/{park_id:uuid}/incubatees/new"): PARK_WRITERS,
    ("POST", "/parks/{park_id:uuid}/incubatees/new"): PARK_WRITERS,
    ("GET", INCUBATEE_PAGE): PARK_STAFF,
    ("GET", INCUBATEE_PAGE + "/edit"): PARK_WRITERS,
    ("POST", INCUBATEE_PAGE + "/edit"): PARK_WRITERS,
    ("POST", INCUBATEE_PAGE + "/admission"): PARK_WRITERS,
    ("POST", INCUBATEE_PAGE + "/departure"): PARK_WRITERS,
    ("POST", INCUBATEE_PAGE + "/founders"): PARK_WRITERS,
    ("POST", INCUBATEE_PAGE + "/mentors"): PARK_WRITERS,
    ("POST", INCUBATEE_PAGE + "/mentors/{assignment_id:uuid}/end"): PARK_WRITERS,
    ("POST", FOUNDER_PAGE + "/delete"): PARK_WRITERS,
    ("POST", FOUNDER_PAGE + "/id-number"): PARK_WRITERS,
    # founders' portal accounts: the park gives them
    ("GET", INCUBATEE + "/portal-accounts"): PARK_STAFF,
    ("POST", INCUBATEE + "/portal-accounts"): PARK_WRITERS,
    ("POST", INCUBATEE_PAGE + "/portal-accounts"): PARK_WRITERS,
    # periodic reports: founders file their own firm's, the park files on their behalf, the bureau reads
    ("GET", INCUBATEE + "/reports"): PARK_PEOPLE,
    ("POST", INCUBATEE + "/reports"): FILERS,
    ("GET", INCUBATEE + "/reports/{report_id:uuid}"): PARK_PEOPLE,
    ("PATCH", INCUBATEE + "/reports/{report_id:uuid}"): FILERS,
    ("GET", "/api/parks/{park_id:uuid}/reports"): PARK_STAFF,
    ("GET", "/parks/{park_id:uuid}/reports"): PARK_STAFF,
    ("GET", INCUBATEE_PAGE + "/reports/new"): PARK_WRITERS,
    ("POST", INCUBATEE_PAGE + "/reports/new"): PARK_WRITERS,
    ("GET", INCUBATEE_PAGE + "/reports/{report_id:uuid}/edit"): PARK_WRITERS,
    ("POST", INCUBATEE_PAGE + "/reports/{report_id:uuid}/edit"): PARK_WRITERS,
    # recommendations to graduate or exit: the staff read them, operators decide
    ("GET", "/api/parks/{park_id:uuid}/recommendations"): PARK_STAFF,
    ("GET", INCUBATEE + "/recommendations"): PARK_STAFF,
    ("GET", INCUBATEE + "/decisions"): PARK_STAFF,
    ("POST", INCUBATEE + "/decisions"): PARK_WRITERS,
    ("GET", "/parks/{park_id:uuid}/recommendations"): PARK_STAFF,
    ("POST", INCUBATEE_PAGE + "/decisions"): PARK_WRITERS,
    # star ratings: the park submits its own, the bureau reviews, adjusts, returns, approves and publishes
    ("GET", RATINGS): PARK_STAFF,
    ("GET", RATINGS + "/{rating_id:uuid}"): PARK_STAFF,
    ("POST", RATINGS + "/{rating_id:uuid}/submit"): PARK_WRITERS,
    ("POST", RATINGS + "/{rating_id:uuid}/review"): CITY,
    ("POST", RATINGS + "/{rating_id:uuid}/adjustments"): CITY,
    ("POST", RATINGS + "/{rating_id:uuid}/return"): CITY,
    ("POST", RATINGS + "/{rating_id:uuid}/approve"): CITY,
    ("POST", RATINGS + "/{rating_id:uuid}/publish"): CITY,
    ("GET", "/api/ratings"): CITY,
    # the founders' portal: their own firm only
    ("GET", PORTAL): FOUNDER_ONLY,
    ("GET", PORTAL + "/reports/new"): FOUNDER_ONLY,
    ("POST", PORTAL + "/reports/new"): FOUNDER_ONLY,
    ("GET", PORTAL + "/reports/{report_id:uuid}/edit"): FOUNDER_ONLY,
    ("POST", PORTAL + "/reports/{report_id:uuid}/edit"): FOUNDER_ONLY,
    # support services: the bureau reads, operators write; founders read the catalog, request services for
    # their own firm (staff may post on their behalf), see what was delivered to it and rate it
    ("GET", PARK_API + "/support-services"): PARK_PEOPLE,
    ("POST", PARK_API + "/support-services"): PARK_WRITERS,
    ("GET", PARK_API + "/support-services/{service_id:uuid}"): PARK_STAFF,
    ("PATCH", PARK_API + "/support-services/{service_id:uuid}"): PARK_WRITERS,
    ("GET", PARK_API + "/service-deliveries"): PARK_STAFF,
    ("POST", PARK_API + "/service-deliveries"): PARK_WRITERS,
    ("GET", PARK_API + "/service-deliveries/{delivery_id:uuid}"): PARK_STAFF,
    ("PATCH", PARK_API + "/service-deliveries/{delivery_id:uuid}"): PARK_WRITERS,
    ("GET", PARK_API + "/service-requests"): PARK_STAFF,
    ("POST", PARK_API + "/service-requests/{request_id:uuid}/accept"): PARK_WRITERS,
    ("POST", PARK_API + "/service-requests/{request_id:uuid}/decline"): PARK_WRITERS,
    ("GET", INCUBATEE + "/service-requests"): PARK_PEOPLE,
    ("POST", INCUBATEE + "/service-requests"): FILERS,
    ("GET", INCUBATEE + "/service-deliveries"): PARK_PEOPLE,
    ("POST", INCUBATEE + "/service-deliveries/{delivery_id:uuid}/rating"): FOUNDER_ONLY,
    ("GET", SUPPORT_PAGE): PARK_STAFF,
    ("POST", SUPPORT_PAGE + "/services"): PARK_WRITERS,
    ("GET", SUPPORT_PAGE + "/services/{service_id:uuid}/edit"): PARK_WRITERS,
    ("POST", SUPPORT_PAGE + "/services/{service_id:uuid}/edit"): PARK_WRITERS,
    ("GET", SUPPORT_PAGE + "/deliveries"): PARK_STAFF,
    ("GET", SUPPORT_PAGE + "/deliveries/new"): PARK_WRITERS,
    ("POST", SUPPORT_PAGE + "/deliveries/new"): PARK_WRITERS,
    ("GET", SUPPORT_PAGE + "/deliveries/{delivery_id:uuid}/edit"): PARK_WRITERS,
    ("POST", SUPPORT_PAGE + "/deliveries/{delivery_id:uuid}/edit"): PARK_WRITERS,
    ("GET", SUPPORT_PAGE + "/requests"): PARK_STAFF,
    ("POST", SUPPORT_PAGE + "/requests/{request_id:uuid}/accept"): PARK_WRITERS,
    ("POST", SUPPORT_PAGE + "/requests/{request_id:uuid}/decline"): PARK_WRITERS,
    # the founder's portal: their own firm only
    ("GET", PORTAL + "/requests"): FOUNDER_ONLY,
    ("POST", PORTAL + "/requests"): FOUNDER_ONLY,
    ("GET", PORTAL + "/deliveries"): FOUNDER_ONLY,
    ("POST", PORTAL + "/deliveries/{delivery_id:uuid}/rating"): FOUNDER_ONLY,
    # trainings: the trainer pool is kept like the mentor pool; a park's trainings, trainees and
    # enrolments are read by the bureau and written by operators
    ("GET", "/api/trainers"): ANY,
    ("POST", "/api/trainers"): CITY,
    ("GET", "/api/trainers/{trainer_id:uuid}"): ANY,
    ("PATCH", "/api/trainers/{trainer_id:uuid}"): CITY,
    ("GET", "/api/parks/{park_id:uuid}/trainings"): PARK_STAFF,
    ("POST", "/api/parks/{park_id:uuid}/trainings"): PARK_WRITERS,
    ("GET", TRAINING): PARK_STAFF,
    ("PATCH", TRAINING): PARK_WRITERS,
    ("GET", TRAINING + "/enrolments"): PARK_STAFF,
    ("POST", TRAINING + "/enrolments"): PARK_WRITERS,
    ("PATCH", ENROLMENT): PARK_WRITERS,
    ("DELETE", ENROLMENT): PARK_WRITERS,
    ("POST", TRAINING + "/roll"): PARK_WRITERS,
    ("GET", "/api/parks/{park_id:uuid}/trainees"): PARK_STAFF,
    ("GET", TRAINEE): PARK_STAFF,
    ("PATCH", TRAINEE): PARK_WRITERS,
    ("GET", "/trainers"): ANY,
    ("GET", "/trainers/new"): CITY,
    ("POST", "/trainers/new"): CITY,
    ("GET", "/trainers/{member_id:uuid}/edit"): CITY,
    ("POST", "/trainers/{member_id:uuid}/edit"): CITY,
    ("GET", "/parks/{park_id:uuid}/trainings"): PARK_STAFF,
    ("GET", "/parks/{park_id:uuid}/trainings/new"): PARK_WRITERS,
    ("POST", "/parks/{park_id:uuid}/trainings/new"): PARK_WRITERS,
    ("GET", TRAINING_PAGE): PARK_STAFF,
    ("GET", TRAINING_PAGE + "/edit"): PARK_WRITERS,
    ("POST", TRAINING_PAGE + "/edit"): PARK_WRITERS,
    ("POST", TRAINING_PAGE + "/enrolments"): PARK_WRITERS,
    ("POST", TRAINING_PAGE + "/roll"): PARK_WRITERS,
    ("POST", TRAINING_PAGE + "/enrolments/{enrolment_id:uuid}/withdraw"): PARK_WRITERS,
    ("GET", "/parks/{park_id:uuid}/trainees"): PARK_STAFF,
    ("GET", TRAINEE_PAGE): PARK_STAFF,
    ("POST", TRAINEE_PAGE): PARK_WRITERS,
}

PUBLIC: set[tuple[str, str]] = {
    ("GET", "/login"),
    ("POST", "/login"),
    ("POST", "/api/auth/token"),
    ("GET", "/locale/{code:str}"),
    ("GET", "/health"),
    ("GET", "/static/{file_path:path}"),
    ("GET", "/schema"),
    ("GET", "/schema/scalar"),
    ("GET", "/schema/{path:str}"),
    ("GET", "/schema/openapi.json"),
}
