/* ntexcept.h - (being written) */
#ifndef NTEXCEPT_H
#define NTEXCEPT_H
#endif
