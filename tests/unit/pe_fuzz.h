/* pe_fuzz.h - the PE parser's fuzz body and mutation loop (pe_fuzz.c), shared with pe_test.c. */
#ifndef PE_FUZZ_H
#define PE_FUZZ_H

#include <stddef.h>
#include <stdint.h>

/* Runs one input through validation, mapping, relocation and every accessor; returns 1 if the
 * input validated as a file. Aborts if an invariant of the parser is broken. */
int PeFuzzOne(const uint8_t *Data, size_t Size);
/* Iterations mutants of Seed (deterministic for RngSeed); returns how many validated. */
unsigned PeFuzzLoop(const uint8_t *Seed, size_t SeedSize, uint64_t RngSeed, unsigned Iterations);

#endif
