// sm2_fp_adx.h — Montgomery multiplication modulo the SM2 prime for x86-64 CPUs with BMI2 (mulx)
// and ADX (adcx/adox): the portable twin is sm2_fp.h, with which it shares everything except
// the multiplication itself. Selected at run time (sm2_impl() in sm2.cc) when cpu_has(kCpuBMI2 |
// kCpuADX); the assembler accepts these instructions without target flags.
//
// Structure (word-by-word Montgomery, R = 2^256): for each limb b_i, add a·b_i to the 6-limb
// accumulator with two independent carry chains (adcx through CF for the low halves, adox through
// OF for the high halves, so the additions of one row do not wait on each other), then one
// reduction step. The reduction uses the shape of p exactly as sm2_fp.h explains: with m the low
// limb, adding m·p and dropping the zero limb is adding W = m·(2^192 - 2^160 - 2^32 + 1), which a
// subtract-with-borrow chain of shifted copies of m produces without multiplying. The final
// conditional subtraction adds 2^256 - p and keeps the sum by cmov when it carries out, so there
// is no branch. The accumulator limbs rotate through r8..r13 from row to row.
//
// Carry bugs in code like this are the classic failure (anchors.md §3 item 17): every change
// here must pass native/test/diff_sm2.cc, which compares against the portable code and against
// reference values on random and edge-case operands.
#ifndef GUOMI_CORE_SM2_FP_ADX_H_
#define GUOMI_CORE_SM2_FP_ADX_H_

#if defined(__x86_64__)

#include "sm2_fe.h"
#include "sm2_fp.h"

namespace guomi {

// sm2_fp_mul_adx: r = a·b·2^-256 mod p for a, b < p. r may alias a or b (all reads come first).
inline void sm2_fp_mul_adx(Fe* r, const Fe* a, const Fe* b) {
  // All 14 usable general registers are taken, so the operands are reached through the pointers
  // in rdi, rsi and rcx and the asm declares a memory clobber (naming the arrays as "m"
  // operands instead would need registers for their addresses that clang cannot find).
  __asm__ volatile(
      "movq 0(%[b]), %%rdx\n\t"
      "mulxq 0(%[a]), %%r8, %%r9\n\t"
      "mulxq 8(%[a]), %%rax, %%r10\n\t"
      "addq %%rax, %%r9\n\t"
      "mulxq 16(%[a]), %%rax, %%r11\n\t"
      "adcq %%rax, %%r10\n\t"
      "mulxq 24(%[a]), %%rax, %%r12\n\t"
      "adcq %%rax, %%r11\n\t"
      "adcq $0, %%r12\n\t"
      "xorl %%r13d, %%r13d\n\t"
      "movq %%r8, %%rax\n\t"
      "shlq $32, %%rax\n\t"
      "movq %%r8, %%rbx\n\t"
      "shrq $32, %%rbx\n\t"
      "movq %%r8, %%rdx\n\t"
      "subq %%rax, %%rdx\n\t"
      "movl $0, %%r14d\n\t"
      "sbbq %%rbx, %%r14\n\t"
      "movl $0, %%r15d\n\t"
      "sbbq %%rax, %%r15\n\t"
      "sbbq %%rbx, %%r8\n\t"
      "addq %%rdx, %%r9\n\t"
      "adcq %%r14, %%r10\n\t"
      "adcq %%r15, %%r11\n\t"
      "adcq %%r8, %%r12\n\t"
      "adcq $0, %%r13\n\t"
      "movq 8(%[b]), %%rdx\n\t"
      "xorl %%r8d, %%r8d\n\t"
      "mulxq 0(%[a]), %%rax, %%rbx\n\t"
      "adcxq %%rax, %%r9\n\t"
      "adoxq %%rbx, %%r10\n\t"
      "mulxq 8(%[a]), %%rax, %%rbx\n\t"
      "adcxq %%rax, %%r10\n\t"
      "adoxq %%rbx, %%r11\n\t"
      "mulxq 16(%[a]), %%rax, %%rbx\n\t"
      "adcxq %%rax, %%r11\n\t"
      "adoxq %%rbx, %%r12\n\t"
      "mulxq 24(%[a]), %%rax, %%rbx\n\t"
      "adcxq %%rax, %%r12\n\t"
      "adoxq %%rbx, %%r13\n\t"
      "movl $0, %%eax\n\t"
      "adcxq %%rax, %%r13\n\t"
      "adoxq %%rax, %%r8\n\t"
      "adcxq %%rax, %%r8\n\t"
      "movq %%r9, %%rax\n\t"
      "shlq $32, %%rax\n\t"
      "movq %%r9, %%rbx\n\t"
      "shrq $32, %%rbx\n\t"
      "movq %%r9, %%rdx\n\t"
      "subq %%rax, %%rdx\n\t"
      "movl $0, %%r14d\n\t"
      "sbbq %%rbx, %%r14\n\t"
      "movl $0, %%r15d\n\t"
      "sbbq %%rax, %%r15\n\t"
      "sbbq %%rbx, %%r9\n\t"
      "addq %%rdx, %%r10\n\t"
      "adcq %%r14, %%r11\n\t"
      "adcq %%r15, %%r12\n\t"
      "adcq %%r9, %%r13\n\t"
      "adcq $0, %%r8\n\t"
      "movq 16(%[b]), %%rdx\n\t"
      "xorl %%r9d, %%r9d\n\t"
      "mulxq 0(%[a]), %%rax, %%rbx\n\t"
      "adcxq %%rax, %%r10\n\t"
      "adoxq %%rbx, %%r11\n\t"
      "mulxq 8(%[a]), %%rax, %%rbx\n\t"
      "adcxq %%rax, %%r11\n\t"
      "adoxq %%rbx, %%r12\n\t"
      "mulxq 16(%[a]), %%rax, %%rbx\n\t"
      "adcxq %%rax, %%r12\n\t"
      "adoxq %%rbx, %%r13\n\t"
      "mulxq 24(%[a]), %%rax, %%rbx\n\t"
      "adcxq %%rax, %%r13\n\t"
      "adoxq %%rbx, %%r8\n\t"
      "movl $0, %%eax\n\t"
      "adcxq %%rax, %%r8\n\t"
      "adoxq %%rax, %%r9\n\t"
      "adcxq %%rax, %%r9\n\t"
      "movq %%r10, %%rax\n\t"
      "shlq $32, %%rax\n\t"
      "movq %%r10, %%rbx\n\t"
      "shrq $32, %%rbx\n\t"
      "movq %%r10, %%rdx\n\t"
      "subq %%rax, %%rdx\n\t"
      "movl $0, %%r14d\n\t"
      "sbbq %%rbx, %%r14\n\t"
      "movl $0, %%r15d\n\t"
      "sbbq %%rax, %%r15\n\t"
      "sbbq %%rbx, %%r10\n\t"
      "addq %%rdx, %%r11\n\t"
      "adcq %%r14, %%r12\n\t"
      "adcq %%r15, %%r13\n\t"
      "adcq %%r10, %%r8\n\t"
      "adcq $0, %%r9\n\t"
      "movq 24(%[b]), %%rdx\n\t"
      "xorl %%r10d, %%r10d\n\t"
      "mulxq 0(%[a]), %%rax, %%rbx\n\t"
      "adcxq %%rax, %%r11\n\t"
      "adoxq %%rbx, %%r12\n\t"
      "mulxq 8(%[a]), %%rax, %%rbx\n\t"
      "adcxq %%rax, %%r12\n\t"
      "adoxq %%rbx, %%r13\n\t"
      "mulxq 16(%[a]), %%rax, %%rbx\n\t"
      "adcxq %%rax, %%r13\n\t"
      "adoxq %%rbx, %%r8\n\t"
      "mulxq 24(%[a]), %%rax, %%rbx\n\t"
      "adcxq %%rax, %%r8\n\t"
      "adoxq %%rbx, %%r9\n\t"
      "movl $0, %%eax\n\t"
      "adcxq %%rax, %%r9\n\t"
      "adoxq %%rax, %%r10\n\t"
      "adcxq %%rax, %%r10\n\t"
      "movq %%r11, %%rax\n\t"
      "shlq $32, %%rax\n\t"
      "movq %%r11, %%rbx\n\t"
      "shrq $32, %%rbx\n\t"
      "movq %%r11, %%rdx\n\t"
      "subq %%rax, %%rdx\n\t"
      "movl $0, %%r14d\n\t"
      "sbbq %%rbx, %%r14\n\t"
      "movl $0, %%r15d\n\t"
      "sbbq %%rax, %%r15\n\t"
      "sbbq %%rbx, %%r11\n\t"
      "addq %%rdx, %%r12\n\t"
      "adcq %%r14, %%r13\n\t"
      "adcq %%r15, %%r8\n\t"
      "adcq %%r11, %%r9\n\t"
      "adcq $0, %%r10\n\t"
      "movq %%r12, %%rax\n\t"
      "movq %%r13, %%rbx\n\t"
      "movq %%r8, %%r14\n\t"
      "movq %%r9, %%r15\n\t"
      "movl $0xffffffff, %%edx\n\t"
      "movl $1, %%r11d\n\t"
      "shlq $32, %%r11\n\t"
      "addq $1, %%rax\n\t"
      "adcq %%rdx, %%rbx\n\t"
      "adcq $0, %%r14\n\t"
      "adcq %%r11, %%r15\n\t"
      "adcq $0, %%r10\n\t"
      "cmovnzq %%rax, %%r12\n\t"
      "cmovnzq %%rbx, %%r13\n\t"
      "cmovnzq %%r14, %%r8\n\t"
      "cmovnzq %%r15, %%r9\n\t"
      "movq %%r12, 0(%[r])\n\t"
      "movq %%r13, 8(%[r])\n\t"
      "movq %%r8, 16(%[r])\n\t"
      "movq %%r9, 24(%[r])\n\t"
      :
      : [r] "D"(r->v), [a] "S"(a->v), [b] "c"(b->v)
      : "rax", "rbx", "rdx", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15", "cc",
        "memory");
}

// sm2_fp_sqr_adx: r = a^2·2^-256 mod p. The six cross products are computed once and doubled,
// the four squares added, and the 512-bit result reduced limb by limb: adding m·Y at limb i+1
// is done as adding (m, 0, 0, m) and subtracting (m << 32, m >> 32, m << 32, m >> 32), each with
// its carry or borrow rippled to the top (rcx holds bit 512 and above), which needs fewer
// registers than forming Y first. r may alias a.
inline void sm2_fp_sqr_adx(Fe* r, const Fe* a) {
  const uint64_t* ap = a->v;  // rsi doubles as a temporary once a has been read
  __asm__ volatile(
      "movq 0(%[a]), %%rdx\n\t"
      "mulxq 8(%[a]), %%r9, %%r10\n\t"
      "mulxq 16(%[a]), %%rax, %%r11\n\t"
      "addq %%rax, %%r10\n\t"
      "mulxq 24(%[a]), %%rax, %%r12\n\t"
      "adcq %%rax, %%r11\n\t"
      "adcq $0, %%r12\n\t"
      "movq 8(%[a]), %%rdx\n\t"
      "mulxq 16(%[a]), %%rax, %%rbx\n\t"
      "mulxq 24(%[a]), %%rcx, %%r13\n\t"
      "addq %%rax, %%r11\n\t"
      "adcq %%rbx, %%r12\n\t"
      "adcq $0, %%r13\n\t"
      "addq %%rcx, %%r12\n\t"
      "adcq $0, %%r13\n\t"
      "movq 16(%[a]), %%rdx\n\t"
      "mulxq 24(%[a]), %%rax, %%r14\n\t"
      "addq %%rax, %%r13\n\t"
      "adcq $0, %%r14\n\t"
      "xorl %%r15d, %%r15d\n\t"
      "addq %%r9, %%r9\n\t"
      "adcq %%r10, %%r10\n\t"
      "adcq %%r11, %%r11\n\t"
      "adcq %%r12, %%r12\n\t"
      "adcq %%r13, %%r13\n\t"
      "adcq %%r14, %%r14\n\t"
      "adcq $0, %%r15\n\t"
      "movq 0(%[a]), %%rdx\n\t"
      "mulxq %%rdx, %%r8, %%rax\n\t"
      "addq %%rax, %%r9\n\t"
      "movq 8(%[a]), %%rdx\n\t"
      "mulxq %%rdx, %%rax, %%rbx\n\t"
      "adcq %%rax, %%r10\n\t"
      "adcq %%rbx, %%r11\n\t"
      "movq 16(%[a]), %%rdx\n\t"
      "mulxq %%rdx, %%rax, %%rbx\n\t"
      "adcq %%rax, %%r12\n\t"
      "adcq %%rbx, %%r13\n\t"
      "movq 24(%[a]), %%rdx\n\t"
      "mulxq %%rdx, %%rax, %%rbx\n\t"
      "adcq %%rax, %%r14\n\t"
      "adcq %%rbx, %%r15\n\t"
      "xorl %%ecx, %%ecx\n\t"
      "movq %%r8, %%rax\n\t"
      "shlq $32, %%rax\n\t"
      "movq %%r8, %%rbx\n\t"
      "shrq $32, %%rbx\n\t"
      "addq %%r8, %%r9\n\t"
      "adcq $0, %%r10\n\t"
      "adcq $0, %%r11\n\t"
      "adcq %%r8, %%r12\n\t"
      "adcq $0, %%r13\n\t"
      "adcq $0, %%r14\n\t"
      "adcq $0, %%r15\n\t"
      "adcq $0, %%rcx\n\t"
      "subq %%rax, %%r9\n\t"
      "sbbq %%rbx, %%r10\n\t"
      "sbbq %%rax, %%r11\n\t"
      "sbbq %%rbx, %%r12\n\t"
      "sbbq $0, %%r13\n\t"
      "sbbq $0, %%r14\n\t"
      "sbbq $0, %%r15\n\t"
      "sbbq $0, %%rcx\n\t"
      "movq %%r9, %%rax\n\t"
      "shlq $32, %%rax\n\t"
      "movq %%r9, %%rbx\n\t"
      "shrq $32, %%rbx\n\t"
      "addq %%r9, %%r10\n\t"
      "adcq $0, %%r11\n\t"
      "adcq $0, %%r12\n\t"
      "adcq %%r9, %%r13\n\t"
      "adcq $0, %%r14\n\t"
      "adcq $0, %%r15\n\t"
      "adcq $0, %%rcx\n\t"
      "subq %%rax, %%r10\n\t"
      "sbbq %%rbx, %%r11\n\t"
      "sbbq %%rax, %%r12\n\t"
      "sbbq %%rbx, %%r13\n\t"
      "sbbq $0, %%r14\n\t"
      "sbbq $0, %%r15\n\t"
      "sbbq $0, %%rcx\n\t"
      "movq %%r10, %%rax\n\t"
      "shlq $32, %%rax\n\t"
      "movq %%r10, %%rbx\n\t"
      "shrq $32, %%rbx\n\t"
      "addq %%r10, %%r11\n\t"
      "adcq $0, %%r12\n\t"
      "adcq $0, %%r13\n\t"
      "adcq %%r10, %%r14\n\t"
      "adcq $0, %%r15\n\t"
      "adcq $0, %%rcx\n\t"
      "subq %%rax, %%r11\n\t"
      "sbbq %%rbx, %%r12\n\t"
      "sbbq %%rax, %%r13\n\t"
      "sbbq %%rbx, %%r14\n\t"
      "sbbq $0, %%r15\n\t"
      "sbbq $0, %%rcx\n\t"
      "movq %%r11, %%rax\n\t"
      "shlq $32, %%rax\n\t"
      "movq %%r11, %%rbx\n\t"
      "shrq $32, %%rbx\n\t"
      "addq %%r11, %%r12\n\t"
      "adcq $0, %%r13\n\t"
      "adcq $0, %%r14\n\t"
      "adcq %%r11, %%r15\n\t"
      "adcq $0, %%rcx\n\t"
      "subq %%rax, %%r12\n\t"
      "sbbq %%rbx, %%r13\n\t"
      "sbbq %%rax, %%r14\n\t"
      "sbbq %%rbx, %%r15\n\t"
      "sbbq $0, %%rcx\n\t"
      "movq %%r12, %%rax\n\t"
      "movq %%r13, %%rbx\n\t"
      "movq %%r14, %%rdx\n\t"
      "movq %%r15, %%rsi\n\t"
      "movl $0xffffffff, %%r8d\n\t"
      "movl $1, %%r9d\n\t"
      "shlq $32, %%r9\n\t"
      "addq $1, %%rax\n\t"
      "adcq %%r8, %%rbx\n\t"
      "adcq $0, %%rdx\n\t"
      "adcq %%r9, %%rsi\n\t"
      "adcq $0, %%rcx\n\t"
      "cmovnzq %%rax, %%r12\n\t"
      "cmovnzq %%rbx, %%r13\n\t"
      "cmovnzq %%rdx, %%r14\n\t"
      "cmovnzq %%rsi, %%r15\n\t"
      "movq %%r12, 0(%[r])\n\t"
      "movq %%r13, 8(%[r])\n\t"
      "movq %%r14, 16(%[r])\n\t"
      "movq %%r15, 24(%[r])\n\t"
      : [a] "+S"(ap)
      : [r] "D"(r->v)
      : "rax", "rbx", "rcx", "rdx", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15", "cc",
        "memory");
}

// sm2_fp_add_x86: r = a + b mod p. The sum s (257 bits) is kept unless s >= p, tested by adding
// 2^256 - p = (1, 0xffffffff, 0, 2^32) and looking at the carry out of bit 256; cmov picks.
inline void sm2_fp_add_x86(Fe* r, const Fe* a, const Fe* b) {
  uint64_t r0 = a->v[0], r1 = a->v[1], r2 = a->v[2], r3 = a->v[3];
  uint64_t t0, t1, t2, t3, top, c;
  __asm__(
      "addq 0(%[b]), %[r0]\n\t"
      "adcq 8(%[b]), %[r1]\n\t"
      "adcq 16(%[b]), %[r2]\n\t"
      "adcq 24(%[b]), %[r3]\n\t"
      "movl $0, %k[top]\n\t"
      "adcq $0, %[top]\n\t"
      "movq %[r0], %[t0]\n\t"
      "movq %[r1], %[t1]\n\t"
      "movq %[r2], %[t2]\n\t"
      "movq %[r3], %[t3]\n\t"
      "movl $0xffffffff, %k[c]\n\t"
      "addq $1, %[t0]\n\t"
      "adcq %[c], %[t1]\n\t"
      "adcq $0, %[t2]\n\t"
      "movabsq $0x100000000, %[c]\n\t"
      "adcq %[c], %[t3]\n\t"
      "adcq $0, %[top]\n\t"
      "cmovnzq %[t0], %[r0]\n\t"
      "cmovnzq %[t1], %[r1]\n\t"
      "cmovnzq %[t2], %[r2]\n\t"
      "cmovnzq %[t3], %[r3]\n\t"
      : [r0] "+&r"(r0), [r1] "+&r"(r1), [r2] "+&r"(r2), [r3] "+&r"(r3), [t0] "=&r"(t0),
        [t1] "=&r"(t1), [t2] "=&r"(t2), [t3] "=&r"(t3), [top] "=&r"(top), [c] "=&r"(c)
      : [b] "r"(b->v), "m"(*reinterpret_cast<const uint64_t(*)[4]>(b->v))
      : "cc");
  r->v[0] = r0, r->v[1] = r1, r->v[2] = r2, r->v[3] = r3;
}

// sm2_fp_sub_x86: r = a - b mod p: subtract, turn the borrow into a mask and add p & mask.
// The masked limbs of p are the mask itself (limbs 0 and 2), mask << 32 (limb 1) and the mask
// with bit 32 cleared (limb 3).
inline void sm2_fp_sub_x86(Fe* r, const Fe* a, const Fe* b) {
  uint64_t r0 = a->v[0], r1 = a->v[1], r2 = a->v[2], r3 = a->v[3];
  uint64_t mask, m1, m3;
  __asm__(
      "subq 0(%[b]), %[r0]\n\t"
      "sbbq 8(%[b]), %[r1]\n\t"
      "sbbq 16(%[b]), %[r2]\n\t"
      "sbbq 24(%[b]), %[r3]\n\t"
      "sbbq %[mask], %[mask]\n\t"
      "movq %[mask], %[m1]\n\t"
      "shlq $32, %[m1]\n\t"
      "movq %[mask], %[m3]\n\t"
      "btrq $32, %[m3]\n\t"
      "addq %[mask], %[r0]\n\t"
      "adcq %[m1], %[r1]\n\t"
      "adcq %[mask], %[r2]\n\t"
      "adcq %[m3], %[r3]\n\t"
      : [r0] "+&r"(r0), [r1] "+&r"(r1), [r2] "+&r"(r2), [r3] "+&r"(r3), [mask] "=&r"(mask),
        [m1] "=&r"(m1), [m3] "=&r"(m3)
      : [b] "r"(b->v), "m"(*reinterpret_cast<const uint64_t(*)[4]>(b->v))
      : "cc");
  r->v[0] = r0, r->v[1] = r1, r->v[2] = r2, r->v[3] = r3;
}

using Sm2FpAdx = Sm2FpOps<sm2_fp_mul_adx, sm2_fp_sqr_adx, sm2_fp_add_x86, sm2_fp_sub_x86>;

}  // namespace guomi

#endif  // defined(__x86_64__)

#endif  // GUOMI_CORE_SM2_FP_ADX_H_
