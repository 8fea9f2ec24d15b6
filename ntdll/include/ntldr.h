/* ntldr.h - (being written) */
#ifndef NTLDR_H
#define NTLDR_H
#endif
