"""Reports: the PDFs the bureau prints, stamps and files, and the public check of a star certificate."""
