/*
 * npfscreate.c - the ends of a pipe: a server end (IRP_MJ_CREATE_NAMED_PIPE, a new instance of
 * the pipe with that name, the pipe made if need be), a client end (IRP_MJ_CREATE, connected to
 * a listening instance), an open of \Device\NamedPipe itself (no name: FsContext NULL, good for
 * nothing but closing), cleanup (the end's last handle: the other end sees the pipe closing) and
 * close (the end's last reference: the instance, and then the pipe, go with the last one).
 */
#include "npfsp.h"

/* The pipe's name in the open: FileName without its leading '\', relative to an open of the
 * root if there is one. Empty for the root itself. */
static NTSTATUS NpfsNameOf(PFILE_OBJECT File, PUNICODE_STRING Name)
{
    PFILE_OBJECT related = File->RelatedFileObject;
    *Name = File->FileName;
    if (related && related->FsContext) return STATUS_INVALID_PARAMETER;   /* relative to a pipe end */
    if (Name->Length >= sizeof(WCHAR) && Name->Buffer[0] == u'\\') {
        if (related) return STATUS_OBJECT_NAME_INVALID;
        Name->Buffer++;
        Name->Length -= sizeof(WCHAR);
        Name->MaximumLength -= sizeof(WCHAR);
    }
    return STATUS_SUCCESS;
}

PNPFS_PIPE NpfsFindPipe(PCUNICODE_STRING Name)
{
    for (PLIST_ENTRY e = NpfsPipes.Flink; e != &NpfsPipes; e = e->Flink) {
        PNPFS_PIPE p = CONTAINING_RECORD(e, NPFS_PIPE, Link);
        if (RtlEqualUnicodeString(&p->Name, Name, TRUE)) return p;
    }
    return NULL;
}

static ULONG NpfsQuota(ULONG Requested)
{
    if (Requested == 0) return NPFS_DEFAULT_QUOTA;
    return Requested < NPFS_MAXIMUM_QUOTA ? Requested : NPFS_MAXIMUM_QUOTA;
}

static PNPFS_PIPE NpfsNewPipe(PCUNICODE_STRING Name, PNAMED_PIPE_CREATE_PARAMETERS Parameters)
{
    PNPFS_PIPE p = ExAllocatePoolWithTag(NonPagedPool, sizeof(*p), NPFS_TAG);
    if (p == NULL) return NULL;
    RtlZeroMemory(p, sizeof(*p));
    p->Name.Buffer = ExAllocatePoolWithTag(NonPagedPool, Name->Length ? Name->Length : 1, NPFS_TAG);
    if (p->Name.Buffer == NULL) {
        ExFreePoolWithTag(p, NPFS_TAG);
        return NULL;
    }
    RtlCopyMemory(p->Name.Buffer, Name->Buffer, Name->Length);
    p->Name.Length = p->Name.MaximumLength = Name->Length;
    p->MaximumInstances = Parameters->MaximumInstances;
    p->InboundQuota = NpfsQuota(Parameters->InboundQuota);
    p->OutboundQuota = NpfsQuota(Parameters->OutboundQuota);
    p->MessageType = Parameters->NamedPipeType == FILE_PIPE_MESSAGE_TYPE;
    /* NT's default for WaitNamedPipe(NMPWAIT_USE_DEFAULT_WAIT) is 50 ms when none is given. */
    p->DefaultTimeout.QuadPart = Parameters->TimeoutSpecified ? Parameters->DefaultTimeout.QuadPart : -500000;
    InitializeListHead(&p->InstanceList);
    InsertTailList(&NpfsPipes, &p->Link);
    return p;
}

static VOID NpfsFreePipe(PNPFS_PIPE Pipe)
{
    RemoveEntryList(&Pipe->Link);
    ExFreePoolWithTag(Pipe->Name.Buffer, NPFS_TAG);
    ExFreePoolWithTag(Pipe, NPFS_TAG);
}

static PNPFS_INSTANCE NpfsNewInstance(PNPFS_PIPE Pipe, USHORT ShareAccess, PNAMED_PIPE_CREATE_PARAMETERS Parameters)
{
    PNPFS_INSTANCE i = ExAllocatePoolWithTag(NonPagedPool, sizeof(*i), NPFS_TAG);
    if (i == NULL) return NULL;
    RtlZeroMemory(i, sizeof(*i));
    NpfsInitializeQueue(&i->Inbound, Pipe->InboundQuota);
    NpfsInitializeQueue(&i->Outbound, Pipe->OutboundQuota);
    i->MessageType = Pipe->MessageType;
    i->MessageRead[NPFS_SERVER_END] = Parameters->ReadMode == FILE_PIPE_MESSAGE_MODE;
    BOOLEAN NonBlocking = Parameters->CompletionMode == FILE_PIPE_COMPLETE_OPERATION;
    i->Pipe = Pipe;
    i->State = FILE_PIPE_LISTENING_STATE;
    i->References = 1;
    i->ServerShareAccess = ShareAccess;
    i->EndOpen[NPFS_SERVER_END] = TRUE;
    i->NonBlocking[NPFS_SERVER_END] = NonBlocking;
    InitializeListHead(&i->ListenIrps);
    InsertTailList(&Pipe->InstanceList, &i->Link);
    Pipe->Instances++;
    NpfsInstanceListening();
    return i;
}

/* A server end, with the lock held: *Information is FILE_CREATED or FILE_OPENED. */
static NTSTATUS NpfsNewServerEnd(PFILE_OBJECT File, PCUNICODE_STRING Name, PIO_STACK_LOCATION Sp,
                                 PULONG_PTR Information)
{
    PNAMED_PIPE_CREATE_PARAMETERS parameters = Sp->Parameters.CreatePipe.Parameters;
    ULONG disposition = Sp->Parameters.CreatePipe.Options >> 24;
    PNPFS_PIPE pipe = NpfsFindPipe(Name);
    if (pipe && disposition == FILE_CREATE) return STATUS_ACCESS_DENIED;     /* NT: first instance only */
    if (pipe == NULL && disposition == FILE_OPEN) return STATUS_OBJECT_NAME_NOT_FOUND;
    if (pipe && pipe->Instances >= pipe->MaximumInstances) return STATUS_INSTANCE_NOT_AVAILABLE;
    if (pipe && pipe->MessageType != (parameters->NamedPipeType == FILE_PIPE_MESSAGE_TYPE))
        return STATUS_INVALID_PARAMETER;                                 /* one type per name */
    BOOLEAN created = pipe == NULL;
    if (created && (pipe = NpfsNewPipe(Name, parameters)) == NULL) return STATUS_INSUFFICIENT_RESOURCES;
    PNPFS_INSTANCE instance = NpfsNewInstance(pipe, Sp->Parameters.CreatePipe.ShareAccess, parameters);
    if (instance == NULL) {
        if (created) NpfsFreePipe(pipe);
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    File->FsContext = instance;
    File->FsContext2 = (PVOID)NPFS_SERVER_END;
    *Information = created ? FILE_CREATED : FILE_OPENED;
    return STATUS_SUCCESS;
}

NTSTATUS NpfsCreateNamedPipe(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PIO_STACK_LOCATION sp = IoGetCurrentIrpStackLocation(Irp);
    PNAMED_PIPE_CREATE_PARAMETERS parameters = sp->Parameters.CreatePipe.Parameters;
    UNICODE_STRING name;
    ULONG_PTR information = 0;
    NTSTATUS status = NpfsNameOf(sp->FileObject, &name);
    if (NT_SUCCESS(status) && name.Length == 0) status = STATUS_OBJECT_NAME_INVALID;
    if (NT_SUCCESS(status) && parameters == NULL) status = STATUS_INVALID_PARAMETER;
    if (NT_SUCCESS(status) && (parameters->NamedPipeType > FILE_PIPE_MESSAGE_TYPE ||
                               parameters->ReadMode > FILE_PIPE_MESSAGE_MODE ||
                               parameters->CompletionMode > FILE_PIPE_COMPLETE_OPERATION ||
                               (parameters->ReadMode == FILE_PIPE_MESSAGE_MODE &&
                                parameters->NamedPipeType != FILE_PIPE_MESSAGE_TYPE)))
        status = STATUS_INVALID_PARAMETER;
    if (NT_SUCCESS(status) && parameters->MaximumInstances == 0) status = STATUS_INVALID_PARAMETER;
    if (NT_SUCCESS(status)) {
        NpfsAcquire();
        status = NpfsNewServerEnd(sp->FileObject, &name, sp, &information);
        NpfsRelease();
    }
    return IoCompleteRequestWithStatus(Irp, status, information);
}

/* Whether a client asking for Access may use an instance its server shared as Share. */
static BOOLEAN NpfsClientAllowed(ACCESS_MASK Access, USHORT Share)
{
    if ((Access & FILE_READ_DATA) && !(Share & FILE_SHARE_READ)) return FALSE;
    if ((Access & (FILE_WRITE_DATA | FILE_APPEND_DATA)) && !(Share & FILE_SHARE_WRITE)) return FALSE;
    return TRUE;
}

/* A client end, with the lock held. */
static NTSTATUS NpfsConnectClient(PFILE_OBJECT File, PCUNICODE_STRING Name, ACCESS_MASK Access)
{
    PNPFS_PIPE pipe = NpfsFindPipe(Name);
    if (pipe == NULL) return STATUS_OBJECT_NAME_NOT_FOUND;
    for (PLIST_ENTRY e = pipe->InstanceList.Flink; e != &pipe->InstanceList; e = e->Flink) {
        PNPFS_INSTANCE i = CONTAINING_RECORD(e, NPFS_INSTANCE, Link);
        if (i->State != FILE_PIPE_LISTENING_STATE || !i->EndOpen[NPFS_SERVER_END]) continue;
        if (!NpfsClientAllowed(Access, i->ServerShareAccess)) return STATUS_ACCESS_DENIED;
        i->State = FILE_PIPE_CONNECTED_STATE;
        i->EndOpen[NPFS_CLIENT_END] = TRUE;
        i->ClientFile = File;
        i->References++;
        KIRQL old;
        KeRaiseIrql(DISPATCH_LEVEL, &old);
        NpfsCompleteAll(&i->ListenIrps, STATUS_SUCCESS);    /* the server's ConnectNamedPipe */
        KeLowerIrql(old);
        File->FsContext = i;
        File->FsContext2 = (PVOID)NPFS_CLIENT_END;
        return STATUS_SUCCESS;
    }
    return STATUS_PIPE_BUSY;                    /* every instance has its client */
}

NTSTATUS NpfsCreate(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PIO_STACK_LOCATION sp = IoGetCurrentIrpStackLocation(Irp);
    ULONG disposition = sp->Parameters.Create.Options >> 24;
    PIO_SECURITY_CONTEXT security = sp->Parameters.Create.SecurityContext;
    UNICODE_STRING name;
    NTSTATUS status = NpfsNameOf(sp->FileObject, &name);
    if (!NT_SUCCESS(status)) return IoCompleteRequestWithStatus(Irp, status, 0);
    if (name.Length == 0 && sp->FileObject->RelatedFileObject == NULL)
        return IoCompleteRequestWithStatus(Irp, STATUS_SUCCESS, FILE_OPENED);        /* the root */
    if (name.Length == 0) return IoCompleteRequestWithStatus(Irp, STATUS_OBJECT_NAME_INVALID, 0);
    if (disposition != FILE_OPEN && disposition != FILE_OPEN_IF)
        return IoCompleteRequestWithStatus(Irp, STATUS_INVALID_PARAMETER, 0);        /* a client only opens */
    NpfsAcquire();
    status = NpfsConnectClient(sp->FileObject, &name, security ? security->DesiredAccess : 0);
    NpfsRelease();
    return IoCompleteRequestWithStatus(Irp, status, NT_SUCCESS(status) ? FILE_OPENED : 0);
}

NTSTATUS NpfsCleanup(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PFILE_OBJECT file = IoGetCurrentIrpStackLocation(Irp)->FileObject;
    PNPFS_INSTANCE instance = file->FsContext;
    if (instance == NULL) return IoCompleteRequestWithStatus(Irp, STATUS_SUCCESS, 0);
    ULONG end = (ULONG)(ULONG_PTR)file->FsContext2;
    if (end == NPFS_DISCONNECTED_END) return IoCompleteRequestWithStatus(Irp, STATUS_SUCCESS, 0);
    KIRQL old = NpfsAcquireQueues();
    instance->EndOpen[end] = FALSE;
    if (end == NPFS_CLIENT_END) instance->ClientFile = NULL;
    /* A listening or disconnected server end: no client will come. */
    instance->State = FILE_PIPE_CLOSING_STATE;
    NpfsFailQueued(&instance->Inbound, STATUS_PIPE_BROKEN, STATUS_PIPE_CLOSING);  /* both ends' requests */
    NpfsFailQueued(&instance->Outbound, STATUS_PIPE_BROKEN, STATUS_PIPE_CLOSING);
    NpfsCompleteAll(&instance->ListenIrps, STATUS_PIPE_BROKEN);
    NpfsReleaseQueues(old);
    return IoCompleteRequestWithStatus(Irp, STATUS_SUCCESS, 0);
}

NTSTATUS NpfsClose(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PFILE_OBJECT file = IoGetCurrentIrpStackLocation(Irp)->FileObject;
    PNPFS_INSTANCE instance = file->FsContext;
    if (instance == NULL) return IoCompleteRequestWithStatus(Irp, STATUS_SUCCESS, 0);
    NpfsAcquire();
    if (--instance->References == 0) {
        PNPFS_PIPE pipe = instance->Pipe;
        RemoveEntryList(&instance->Link);
        NpfsFreeQueue(&instance->Inbound);
        NpfsFreeQueue(&instance->Outbound);
        ExFreePoolWithTag(instance, NPFS_TAG);
        if (--pipe->Instances == 0) NpfsFreePipe(pipe);
    }
    NpfsRelease();
    file->FsContext = NULL;
    return IoCompleteRequestWithStatus(Irp, STATUS_SUCCESS, 0);
}
