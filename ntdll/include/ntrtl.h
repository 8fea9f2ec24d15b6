/* ntrtl.h - (being written) */
#ifndef NTRTL_H
#define NTRTL_H
#endif
