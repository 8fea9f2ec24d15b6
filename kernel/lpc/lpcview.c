/*
 * lpcview.c - shared sections of a connection, for data too large for a message. The client may
 * bring a section (NtConnectPort's ClientView): it is mapped into the client at connect and into
 * the server at accept. The server may bring one too (NtAcceptConnectPort's ServerView): mapped
 * into both at accept. Each side learns both addresses, its own and the other side's, and a view
 * stays mapped until that side's port is deleted.
 */
#include "lpcp.h"

static NTSTATUS LpcpMapSection(PSECTION_OBJECT Section, PEPROCESS Process, PLARGE_INTEGER Offset, PSIZE_T Size,
                               PVOID *Base)
{
    *Base = NULL;
    LARGE_INTEGER offset = *Offset;
    return MmMapViewOfSection(Section, &Process->Pcb, Base, 0, 0, &offset, Size, ViewUnmap, 0, PAGE_READWRITE);
}

static VOID LpcpRemember(PLPCP_PORT Port, PVOID Base)
{
    if (Port->OwnerProcess == NULL) {
        Port->OwnerProcess = PsGetCurrentProcess();
        ObReferenceObject(Port->OwnerProcess);
    }
    Port->MappedViews[Port->MappedViews[0] ? 1 : 0] = Base;
}

/* The caller's PORT_VIEW: its section, offset and size, checked. */
static NTSTATUS LpcpCaptureView(KPROCESSOR_MODE Mode, PPORT_VIEW User, PORT_VIEW *View, PSECTION_OBJECT *Section)
{
    NTSTATUS status = ExCopyIn(Mode, View, User, sizeof(*View));
    if (!NT_SUCCESS(status)) return status;
    if (View->Length != sizeof(PORT_VIEW) || View->ViewSize == 0) return STATUS_INVALID_PARAMETER;
    return ObReferenceObjectByHandle(View->SectionHandle, SECTION_MAP_READ | SECTION_MAP_WRITE, MmSectionObjectType,
                                     Mode, (PVOID *)Section, NULL);
}

/* At connect, in the client: its section mapped here; the server maps it at accept. */
NTSTATUS LpcpMapClientView(PLPCP_PORT Client, KPROCESSOR_MODE Mode, PPORT_VIEW ClientView, PLPCP_MESSAGE Request)
{
    PORT_VIEW view;
    PSECTION_OBJECT section;
    NTSTATUS status = LpcpCaptureView(Mode, ClientView, &view, &section);
    if (!NT_SUCCESS(status)) return status;
    LARGE_INTEGER offset = { .QuadPart = view.SectionOffset };
    SIZE_T size = view.ViewSize;
    PVOID base;
    status = LpcpMapSection(section, PsGetCurrentProcess(), &offset, &size, &base);
    if (!NT_SUCCESS(status)) {
        ObDereferenceObject(section);
        return status;
    }
    LpcpRemember(Client, base);
    Request->ClientSection = section;
    Request->ClientSectionOffset = offset;
    Request->Views.ClientViewSize = size;
    Request->Views.ClientViewBase = base;
    Request->Request.ClientViewSize = size;
    return STATUS_SUCCESS;
}

/* At accept, in the server: the client's section mapped here, the server's (if any) here and in
 * the client. ClientView (out) tells the server where the client's section is. */
NTSTATUS LpcpMapServerViews(PLPCP_PORT Server, KPROCESSOR_MODE Mode, PLPCP_MESSAGE Request, PPORT_VIEW ServerView,
                            PREMOTE_PORT_VIEW ClientView)
{
    LPCP_VIEWS *v = &Request->Views;
    PLPCP_PORT client = Request->ClientPort;
    NTSTATUS status = STATUS_SUCCESS;
    Server->OwnerProcess = PsGetCurrentProcess();
    ObReferenceObject(Server->OwnerProcess);
    if (Request->ClientSection) {
        SIZE_T size = v->ClientViewSize;
        status = LpcpMapSection(Request->ClientSection, Server->OwnerProcess, &Request->ClientSectionOffset, &size,
                                &v->ClientViewRemoteBase);
        if (NT_SUCCESS(status)) Server->MappedViews[0] = v->ClientViewRemoteBase;
    }
    if (NT_SUCCESS(status) && ClientView) {
        REMOTE_PORT_VIEW remote = { sizeof(REMOTE_PORT_VIEW), v->ClientViewSize, v->ClientViewRemoteBase };
        status = ExCopyOut(Mode, ClientView, &remote, sizeof(remote));
    }
    if (!NT_SUCCESS(status) || ServerView == NULL) return status;
    PORT_VIEW view;
    PSECTION_OBJECT section;
    status = LpcpCaptureView(Mode, ServerView, &view, &section);
    if (!NT_SUCCESS(status)) return status;
    LARGE_INTEGER offset = { .QuadPart = view.SectionOffset };
    SIZE_T size = view.ViewSize;
    status = LpcpMapSection(section, Server->OwnerProcess, &offset, &size, &v->ServerViewBase);
    if (NT_SUCCESS(status)) {
        Server->MappedViews[1] = v->ServerViewBase;
        status = client->OwnerProcess ? STATUS_SUCCESS : STATUS_PORT_DISCONNECTED;
    }
    if (NT_SUCCESS(status)) status = LpcpMapSection(section, client->OwnerProcess, &offset, &size,
                                                    &v->ServerViewRemoteBase);
    if (NT_SUCCESS(status)) {
        client->MappedViews[1] = v->ServerViewRemoteBase;
        v->ServerViewSize = size;
        view.ViewSize = size;
        view.ViewBase = v->ServerViewBase;
        view.ViewRemoteBase = v->ServerViewRemoteBase;
        status = ExCopyOut(Mode, ServerView, &view, sizeof(view));
    }
    ObDereferenceObject(section);
    return status;
}

VOID LpcpUnmapViews(PLPCP_PORT Port)
{
    PEPROCESS owner = Port->OwnerProcess;
    if (owner == NULL) return;
    if (owner->Pcb.AddressSpace) {
        BOOLEAN attach = KeGetCurrentAddressSpaceProcess() != &owner->Pcb;
        if (attach) KeAttachProcess(&owner->Pcb);
        for (ULONG i = 0; i < ARRAYSIZE(Port->MappedViews); i++)
            if (Port->MappedViews[i]) MmUnmapViewOfSection(&owner->Pcb, Port->MappedViews[i]);
        if (attach) KeDetachProcess();
    }
    ObDereferenceObject(owner);
}
