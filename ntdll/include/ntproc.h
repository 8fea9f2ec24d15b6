/* ntproc.h - (being written) */
#ifndef NTPROC_H
#define NTPROC_H
#endif
