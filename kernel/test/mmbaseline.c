/*
 * mmbaseline.c - the memory baseline the Mm self-tests (mmtest.c, imagetest.c) return to: free
 * pages, commit charge and the bytes held under the memory manager's pool tags. A test takes it
 * before it builds address spaces, sections or views and checks it after tearing them down, so a
 * leaked frame, VAD, segment or charge fails the test that leaked it.
 */
#include "mm.h"
#include "ex.h"
#include "kd.h"
#include "boottest.h"
#include "../mm/mi.h"

static SIZE_T TstMmPoolBytes(void)
{
    static const ULONG tags[] = { TAG_MM_VAD, TAG_MM_ASPACE, TAG_MM_SEGMENT, TAG_MM_SECTION, TAG_MM_BOUNCE,
                                  TAG_MM_IMAGE, TAG_MTST };
    SIZE_T bytes = 0;
    POOL_TRACKER_ENTRY e;
    for (ULONG i = 0; i < ARRAYSIZE(tags); i++)
        if (ExQueryPoolTag(tags[i], &e)) bytes += e.Pool[0].Bytes + e.Pool[1].Bytes;
    return bytes;
}

/* Pages the pool keeps for later blocks after a free count as free: they are the pool's, not a
 * leak. */
static ULONG TstFreePages(void)
{
    POOL_USAGE np, pp;
    ExQueryPoolUsage(NonPagedPool, &np);
    ExQueryPoolUsage(PagedPool, &pp);
    return MmAvailablePages + np.PagesInUse + pp.PagesInUse;
}

VOID TstTakeBaseline(TST_BASELINE *Baseline)
{
    Baseline->Pages = TstFreePages();
    Baseline->Committed = MmTotalCommittedPages;
    Baseline->Pool = TstMmPoolBytes();
}

BOOLEAN TstAtBaseline(const TST_BASELINE *Baseline)
{
    if (TstFreePages() == Baseline->Pages && MmTotalCommittedPages == Baseline->Committed &&
        TstMmPoolBytes() == Baseline->Pool)
        return TRUE;
    DbgPrint("  pages %lu (was %lu), commit %lu (was %lu), pool %lu (was %lu)\n",
             (unsigned long)TstFreePages(), (unsigned long)Baseline->Pages, (unsigned long)MmTotalCommittedPages,
             (unsigned long)Baseline->Committed, (unsigned long)TstMmPoolBytes(), (unsigned long)Baseline->Pool);
    return FALSE;
}
