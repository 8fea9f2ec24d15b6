/* x86.h - inline wrappers for the i386 instructions the kernel needs (ports, control registers). */
#ifndef X86_H
#define X86_H

#include "ntdef.h"

static inline UCHAR __inbyte(USHORT port)
{
    UCHAR v; __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port)); return v;
}
static inline void __outbyte(USHORT port, UCHAR v) { __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port)); }
static inline void __outword(USHORT port, USHORT v) { __asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port)); }
static inline void __outdword(USHORT port, ULONG v) { __asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port)); }
static inline void _disable(void) { __asm__ volatile("cli" ::: "memory"); }
static inline void _enable(void) { __asm__ volatile("sti" ::: "memory"); }
static inline void __halt(void) { __asm__ volatile("hlt" ::: "memory"); }
static inline ULONG __readeflags(void)
{
    ULONG f; __asm__ volatile("pushfl; popl %0" : "=r"(f) :: "memory"); return f;
}
static inline void __writeeflags(ULONG f) { __asm__ volatile("pushl %0; popfl" : : "r"(f) : "memory", "cc"); }
static inline ULONGLONG __rdtsc(void)
{
    ULONG lo, hi; __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi)); return ((ULONGLONG)hi << 32) | lo;
}
static inline ULONG __readcr0(void) { ULONG v; __asm__ volatile("mov %%cr0, %0" : "=r"(v)); return v; }
static inline void __writecr0(ULONG v) { __asm__ volatile("mov %0, %%cr0" : : "r"(v) : "memory"); }
static inline ULONG __readcr2(void) { ULONG v; __asm__ volatile("mov %%cr2, %0" : "=r"(v)); return v; }
static inline ULONG __readcr3(void) { ULONG v; __asm__ volatile("mov %%cr3, %0" : "=r"(v)); return v; }
static inline void __writecr3(ULONG v) { __asm__ volatile("mov %0, %%cr3" : : "r"(v) : "memory"); }
static inline ULONG __readcr4(void) { ULONG v; __asm__ volatile("mov %%cr4, %0" : "=r"(v)); return v; }
static inline void __writecr4(ULONG v) { __asm__ volatile("mov %0, %%cr4" : : "r"(v) : "memory"); }
static inline void __invlpg(PVOID va) { __asm__ volatile("invlpg (%0)" : : "r"(va) : "memory"); }
static inline ULONG __readebp(void) { ULONG v; __asm__ volatile("mov %%ebp, %0" : "=r"(v)); return v; }

#define EFLAGS_IF 0x200u
#define CR0_WP 0x00010000u
#define CR0_PG 0x80000000u

#endif
