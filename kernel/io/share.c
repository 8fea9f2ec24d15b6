/*
 * share.c - share access: the record a driver or file system keeps per file (SHARE_ACCESS) of
 * how many opens read, write and delete, and how many let others do so. A new open conflicts
 * (STATUS_SHARING_VIOLATION) if it wants an access some existing open does not share, or
 * refuses to share an access some existing open has.
 */
#include "iop.h"

#define IOP_READ_ACCESS   (FILE_READ_DATA | FILE_EXECUTE)
#define IOP_WRITE_ACCESS  (FILE_WRITE_DATA | FILE_APPEND_DATA)

/* Records on the file object what this open does and shares. */
static VOID IopNoteAccess(ACCESS_MASK DesiredAccess, ULONG DesiredShareAccess, PFILE_OBJECT FileObject)
{
    FileObject->ReadAccess = (DesiredAccess & IOP_READ_ACCESS) != 0;
    FileObject->WriteAccess = (DesiredAccess & IOP_WRITE_ACCESS) != 0;
    FileObject->DeleteAccess = (DesiredAccess & DELETE) != 0;
    FileObject->SharedRead = (DesiredShareAccess & FILE_SHARE_READ) != 0;
    FileObject->SharedWrite = (DesiredShareAccess & FILE_SHARE_WRITE) != 0;
    FileObject->SharedDelete = (DesiredShareAccess & FILE_SHARE_DELETE) != 0;
}

static VOID IopAddShare(PFILE_OBJECT f, PSHARE_ACCESS s, LONG Sign)
{
    s->OpenCount += Sign;
    s->Readers += Sign * f->ReadAccess;
    s->Writers += Sign * f->WriteAccess;
    s->Deleters += Sign * f->DeleteAccess;
    s->SharedRead += Sign * f->SharedRead;
    s->SharedWrite += Sign * f->SharedWrite;
    s->SharedDelete += Sign * f->SharedDelete;
}

NTSTATUS IoCheckShareAccess(ACCESS_MASK DesiredAccess, ULONG DesiredShareAccess, PFILE_OBJECT FileObject,
                            PSHARE_ACCESS ShareAccess, BOOLEAN Update)
{
    IopNoteAccess(DesiredAccess, DesiredShareAccess, FileObject);
    PFILE_OBJECT f = FileObject;
    PSHARE_ACCESS s = ShareAccess;
    /* An open for attributes only takes part in no sharing decision. */
    if (!f->ReadAccess && !f->WriteAccess && !f->DeleteAccess) return STATUS_SUCCESS;
    if ((f->ReadAccess && s->SharedRead < s->OpenCount) ||
        (f->WriteAccess && s->SharedWrite < s->OpenCount) ||
        (f->DeleteAccess && s->SharedDelete < s->OpenCount) ||
        (s->Readers && !f->SharedRead) ||
        (s->Writers && !f->SharedWrite) ||
        (s->Deleters && !f->SharedDelete))
        return STATUS_SHARING_VIOLATION;
    if (Update) IopAddShare(f, s, 1);
    return STATUS_SUCCESS;
}

VOID IoSetShareAccess(ACCESS_MASK DesiredAccess, ULONG DesiredShareAccess, PFILE_OBJECT FileObject,
                      PSHARE_ACCESS ShareAccess)
{
    IopNoteAccess(DesiredAccess, DesiredShareAccess, FileObject);
    RtlZeroMemory(ShareAccess, sizeof(*ShareAccess));
    if (FileObject->ReadAccess || FileObject->WriteAccess || FileObject->DeleteAccess)
        IopAddShare(FileObject, ShareAccess, 1);
}

VOID IoUpdateShareAccess(PFILE_OBJECT FileObject, PSHARE_ACCESS ShareAccess)
{
    if (FileObject->ReadAccess || FileObject->WriteAccess || FileObject->DeleteAccess)
        IopAddShare(FileObject, ShareAccess, 1);
}

VOID IoRemoveShareAccess(PFILE_OBJECT FileObject, PSHARE_ACCESS ShareAccess)
{
    if (FileObject->ReadAccess || FileObject->WriteAccess || FileObject->DeleteAccess)
        IopAddShare(FileObject, ShareAccess, -1);
}
