from uuid import UUID

from litestar.datastructures import UploadFile

from incubator.schemas import Input


class ImportUpload(Input):
    """A multipart upload: the file, and for a training's roll, the training."""

    file: UploadFile
    training_id: UUID | None = None
