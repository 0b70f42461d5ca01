// chacha20_blocks (<xinim/chacha20.h>) with Advanced SIMD: each block's 4x4 state is four
// vector rows, so a quarter round works on all four columns (or, rows rotated by EXT,
// all four diagonals) at once: ~340 instructions a block where the scalar one takes
// ~1,080. Two blocks are worked side by side, a lone last block (a message with no
// payload needs only block 0) by itself. Uses v0-v7 and v16-v24 only: caller-saved in
// AAPCS64, and the only registers the kernel saves around it (fpsimd_codec_begin): one
// more register here must be saved there too.
	.arch armv8-a+simd
	.text

// One quarter round on the rows a, b, c, d of one block; t is scratch.
.macro quarter_round a, b, c, d, t
	add	\a\().4s, \a\().4s, \b\().4s
	eor	\d\().16b, \d\().16b, \a\().16b
	rev32	\d\().8h, \d\().8h			// <<< 16
	add	\c\().4s, \c\().4s, \d\().4s
	eor	\t\().16b, \b\().16b, \c\().16b
	shl	\b\().4s, \t\().4s, #12
	sri	\b\().4s, \t\().4s, #20
	add	\a\().4s, \a\().4s, \b\().4s
	eor	\d\().16b, \d\().16b, \a\().16b
	tbl	\d\().16b, {\d\().16b}, v16.16b		// <<< 8
	add	\c\().4s, \c\().4s, \d\().4s
	eor	\t\().16b, \b\().16b, \c\().16b
	shl	\b\().4s, \t\().4s, #7
	sri	\b\().4s, \t\().4s, #25
.endm

// Rotates rows b, c, d by 1, 2, 3 words (or back by 3, 2, 1): the diagonals become columns.
.macro rotate_rows b, c, d, by_b, by_d
	ext	\b\().16b, \b\().16b, \b\().16b, #\by_b
	ext	\c\().16b, \c\().16b, \c\().16b, #8
	ext	\d\().16b, \d\().16b, \d\().16b, #\by_d
.endm

// A block's state from the input rows: the constants, the key (v19-v21) and row 3.
.macro block_start a, b, c, d, row3
	mov	\a\().16b, v19.16b
	mov	\b\().16b, v20.16b
	mov	\c\().16b, v21.16b
	mov	\d\().16b, \row3\().16b
.endm

// The keystream: the state after the rounds plus the input, stored at x0.
.macro block_end a, b, c, d, row3
	add	\a\().4s, \a\().4s, v19.4s
	add	\b\().4s, \b\().4s, v20.4s
	add	\c\().4s, \c\().4s, v21.4s
	add	\d\().4s, \d\().4s, \row3\().4s
	st1	{\a\().16b, \b\().16b, \c\().16b, \d\().16b}, [x0], #64
.endm

// void chacha20_blocks(uint8_t *out, size_t blocks, const uint8_t key[32],
//                      const uint8_t counter_nonce[16])
	.global	chacha20_blocks
	.type	chacha20_blocks, %function
	.p2align 4
chacha20_blocks:
	cbz	x1, 5f
	adrp	x5, chacha20_constants
	add	x5, x5, :lo12:chacha20_constants
	ld1	{v19.16b}, [x5], #16			// "expand 32-byte k"
	ld1	{v16.16b}, [x5], #16			// the byte shuffle of <<< 8
	ld1	{v24.16b}, [x5]				// block counter + 1
	ld1	{v20.16b, v21.16b}, [x2]		// the key: rows 1 and 2
	ld1	{v22.16b}, [x3]				// counter and nonce: row 3
1:	cmp	x1, #1
	b.eq	3f
	add	v23.4s, v22.4s, v24.4s			// the second block's row 3
	block_start v0, v1, v2, v3, v22
	block_start v4, v5, v6, v7, v23
	mov	x6, #10
2:	quarter_round v0, v1, v2, v3, v17
	quarter_round v4, v5, v6, v7, v18
	rotate_rows v1, v2, v3, 4, 12
	rotate_rows v5, v6, v7, 4, 12
	quarter_round v0, v1, v2, v3, v17
	quarter_round v4, v5, v6, v7, v18
	rotate_rows v1, v2, v3, 12, 4
	rotate_rows v5, v6, v7, 12, 4
	subs	x6, x6, #1
	b.ne	2b
	block_end v0, v1, v2, v3, v22
	block_end v4, v5, v6, v7, v23
	add	v22.4s, v23.4s, v24.4s
	subs	x1, x1, #2
	b.ne	1b
	ret
3:	block_start v0, v1, v2, v3, v22
	mov	x6, #10
4:	quarter_round v0, v1, v2, v3, v17
	rotate_rows v1, v2, v3, 4, 12
	quarter_round v0, v1, v2, v3, v17
	rotate_rows v1, v2, v3, 12, 4
	subs	x6, x6, #1
	b.ne	4b
	block_end v0, v1, v2, v3, v22
5:	ret
	.size	chacha20_blocks, . - chacha20_blocks

	.section .rodata
	.p2align 4
chacha20_constants:
	.word	0x61707865, 0x3320646e, 0x79622d32, 0x6b206574
	.byte	3, 0, 1, 2, 7, 4, 5, 6, 11, 8, 9, 10, 15, 12, 13, 14
	.word	1, 0, 0, 0
