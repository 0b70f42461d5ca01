// FP/SIMD state survives preemption and migration: all 32 vector registers hold a
// pattern of this instance's own through a long busy loop, and a floating-point series
// summed under this instance's rounding mode (FPCR) gives the same bits every round.
#include <xinim/runtime.h>

#define ROUNDS 8
#define HOLD_ITERATIONS 4000000
#define SERIES_TERMS 200000

// Loads v0..v31 with bytes seed, seed+1, ..., spins, then returns how many registers
// no longer hold their pattern.
static int hold_registers(uint8_t seed)
{
	uint8_t in[32][16], out[32][16];
	for (int r = 0; r < 32; r++)
		for (int b = 0; b < 16; b++)
			in[r][b] = (uint8_t)(seed + r * 16 + b);
	__asm__ volatile(
		"ldp q0, q1, [%[in], #0]\n\tldp q2, q3, [%[in], #32]\n\t"
		"ldp q4, q5, [%[in], #64]\n\tldp q6, q7, [%[in], #96]\n\t"
		"ldp q8, q9, [%[in], #128]\n\tldp q10, q11, [%[in], #160]\n\t"
		"ldp q12, q13, [%[in], #192]\n\tldp q14, q15, [%[in], #224]\n\t"
		"ldp q16, q17, [%[in], #256]\n\tldp q18, q19, [%[in], #288]\n\t"
		"ldp q20, q21, [%[in], #320]\n\tldp q22, q23, [%[in], #352]\n\t"
		"ldp q24, q25, [%[in], #384]\n\tldp q26, q27, [%[in], #416]\n\t"
		"ldp q28, q29, [%[in], #448]\n\tldp q30, q31, [%[in], #480]\n\t"
		"mov x9, %[n]\n"
		"1:\tsubs x9, x9, #1\n\tb.ne 1b\n\t"
		"stp q0, q1, [%[out], #0]\n\tstp q2, q3, [%[out], #32]\n\t"
		"stp q4, q5, [%[out], #64]\n\tstp q6, q7, [%[out], #96]\n\t"
		"stp q8, q9, [%[out], #128]\n\tstp q10, q11, [%[out], #160]\n\t"
		"stp q12, q13, [%[out], #192]\n\tstp q14, q15, [%[out], #224]\n\t"
		"stp q16, q17, [%[out], #256]\n\tstp q18, q19, [%[out], #288]\n\t"
		"stp q20, q21, [%[out], #320]\n\tstp q22, q23, [%[out], #352]\n\t"
		"stp q24, q25, [%[out], #384]\n\tstp q26, q27, [%[out], #416]\n\t"
		"stp q28, q29, [%[out], #448]\n\tstp q30, q31, [%[out], #480]\n\t"
		:
		: [in] "r"(in), [out] "r"(out), [n] "r"((uint64_t)HOLD_ITERATIONS)
		: "x9", "memory", "v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9",
		  "v10", "v11", "v12", "v13", "v14", "v15", "v16", "v17", "v18", "v19", "v20",
		  "v21", "v22", "v23", "v24", "v25", "v26", "v27", "v28", "v29", "v30", "v31");
	int bad = 0;
	for (int r = 0; r < 32; r++)
		for (int b = 0; b < 16; b++)
			if (out[r][b] != in[r][b]) {
				bad++;
				break;
			}
	return bad;
}

// Sum of 1/k^2, whose last bits depend on the rounding mode in FPCR.
static uint64_t series(void)
{
	volatile double sum = 0;
	for (int k = 1; k <= SERIES_TERMS; k++)
		sum += 1.0 / ((double)k * (double)k);
	double s = sum;
	uint64_t bits;
	__builtin_memcpy(&bits, &s, sizeof(bits));
	return bits;
}

int main(int argc, char **argv)
{
	int instance = argc > 1 ? argv[1][0] - '0' : 0;
	uint64_t mode = (uint64_t)(instance & 3) << 22;	// FPCR.RMode: RN, RP, RM, RZ
	__asm__ volatile("msr fpcr, %0" : : "r"(mode));
	uint64_t expected = series();
	int failures = 0;
	for (int round = 0; round < ROUNDS; round++) {
		int bad = hold_registers((uint8_t)(0x40 * instance + round));
		uint64_t sum = series(), fpcr;
		__asm__ volatile("mrs %0, fpcr" : "=r"(fpcr));
		if (bad || sum != expected || fpcr != mode)
			failures++;
		print("fpcheck %d: round %d on cpu %ld: %d registers changed, series %lx, fpcr %lx\n",
		      instance, round, debug_cpu(), bad, sum, fpcr);
	}
	print("fpcheck %d: %s (series %lx, rounding mode %lu)\n", instance,
	      failures ? "FAIL" : "pass", expected, mode >> 22);
	return failures;
}
