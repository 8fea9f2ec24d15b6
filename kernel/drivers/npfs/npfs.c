/*
 * npfs.c - \Device\NamedPipe, the named-pipe file system (NPFS): its device and dispatch table,
 * the one lock that guards every pipe, and the way a request waits.
 *
 * Model (NT's, byte streams only): NtCreateNamedPipeFile(\Device\NamedPipe\<name>) sends
 * IRP_MJ_CREATE_NAMED_PIPE and makes a server end - a new instance of the pipe <name>, listening.
 * NtCreateFile/NtOpenFile of the same name (IRP_MJ_CREATE) is a client: it connects to a listening
 * instance. An instance has two ring buffers, inbound (client -> server) and outbound (server ->
 * client), each of its quota (default 4 KiB). A read takes what is there (at least one byte) or
 * waits; a write copies what fits and waits for room for the rest. When one end's last handle is
 * closed (IRP_MJ_CLEANUP) the instance is closing: the other end reads what is left, then
 * STATUS_PIPE_BROKEN; its writes fail with STATUS_PIPE_CLOSING. Non-blocking ends
 * (FILE_PIPE_COMPLETE_OPERATION) get STATUS_PIPE_EMPTY or a short write instead of waiting.
 * kernel32's CreatePipe is one such instance with the read handle the server end and the write
 * handle the client end.
 *
 * Waiting: a request that must wait does so in the dispatch routine, in the requester's own
 * thread, and never returns STATUS_PENDING. NanoNT has no IRP cancellation, and the I/O manager
 * waits for a pending IRP with a kernel-mode wait nothing can break, so an IRP parked in a queue
 * here would hang a thread that is being terminated until the other end acted. Instead the
 * dispatch routine waits on the instance's Changed event in the requester's mode: for a
 * user-mode request that wait is broken by thread termination (KeBreakUserWait), and the
 * request ends with STATUS_CANCELLED; as a guard against a termination that lands between the
 * check and the wait, user-mode waits also wake every 200 ms to look again. Everything else
 * (Changed is set on each change, under the lock, after the waiter cleared it under the lock)
 * makes the wake-ups exact. A thread blocked in a read holds its synchronous file's lock, as on
 * NT; the other end is a different file object, so it can always write or close.
 */
#include "npfsp.h"

static KMUTANT NpfsLock;
LIST_ENTRY NpfsPipes;

VOID NpfsAcquire(VOID)
{
    KeWaitForSingleObject(&NpfsLock, Executive, KernelMode, FALSE, NULL);
}

VOID NpfsRelease(VOID)
{
    KeReleaseMutant(&NpfsLock, 0, FALSE, FALSE, NULL);
}

BOOLEAN NpfsWaitForChange(PNPFS_INSTANCE Instance, KPROCESSOR_MODE Mode)
{
    LARGE_INTEGER recheck = { .QuadPart = -2000000 };              /* 200 ms */
    if (Mode == UserMode && PsGetCurrentThread()->Terminating) return FALSE;
    KeClearEvent(&Instance->Changed);
    NpfsRelease();
    NTSTATUS status = KeWaitForSingleObject(&Instance->Changed, Executive, Mode, FALSE,
                                            Mode == UserMode ? &recheck : NULL);
    NpfsAcquire();
    if (status == STATUS_TIMEOUT) return !(Mode == UserMode && PsGetCurrentThread()->Terminating);
    return status == STATUS_WAIT_0;
}

NTSTATUS NpfsDriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNICODE_STRING name = RTL_CONSTANT_STRING(u"\\Device\\NamedPipe");
    PDEVICE_OBJECT device;
    KeInitializeMutant(&NpfsLock, FALSE);
    InitializeListHead(&NpfsPipes);
    NTSTATUS status = IoCreateDevice(DriverObject, 0, &name, FILE_DEVICE_NAMED_PIPE, 0, FALSE, &device);
    if (!NT_SUCCESS(status)) return status;
    DriverObject->MajorFunction[IRP_MJ_CREATE_NAMED_PIPE] = NpfsCreateNamedPipe;
    DriverObject->MajorFunction[IRP_MJ_CREATE] = NpfsCreate;
    DriverObject->MajorFunction[IRP_MJ_CLEANUP] = NpfsCleanup;
    DriverObject->MajorFunction[IRP_MJ_CLOSE] = NpfsClose;
    DriverObject->MajorFunction[IRP_MJ_READ] = NpfsRead;
    DriverObject->MajorFunction[IRP_MJ_WRITE] = NpfsWrite;
    DriverObject->MajorFunction[IRP_MJ_FILE_SYSTEM_CONTROL] = NpfsFileSystemControl;
    DriverObject->MajorFunction[IRP_MJ_QUERY_INFORMATION] = NpfsQueryInformation;
    DriverObject->MajorFunction[IRP_MJ_FLUSH_BUFFERS] = IoDispatchSucceed;
    return STATUS_SUCCESS;
}
