/* lpc.h - local procedure calls (kernel/lpc): ports and messages between processes. The
 * services and PORT_MESSAGE are in ntnative.h / ntapi.h; this is what the rest of the kernel
 * calls. */
#ifndef LPC_H
#define LPC_H

#include "ntdef.h"

struct _OBJECT_TYPE;
extern struct _OBJECT_TYPE *LpcPortObjectType;
BOOLEAN LpcInitSystem(VOID);           /* phase 0: the Port object type */

#endif
