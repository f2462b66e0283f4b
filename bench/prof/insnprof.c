// SPDX-License-Identifier: GPL-2.0
/*
 * insnprof.c - a QEMU TCG plugin that counts the instructions the emulated
 * machine executes, per translated block, between two markers.
 *
 * Why: under `-icount shift=0` machine time is instructions executed, so a
 * per-function instruction count says exactly where one kernel spends more
 * machine time than the other on the same operation (guest kernel, Xen or
 * user space).  The guest opens and closes a window by executing the marker
 * `xchg %bx,%bx` (66 87 db, a no-op); xenpv-bench does so with -m.  At each
 * closing marker the plugin writes one line per block that ran in the
 * window: its start address, its instruction count and how often it ran.
 * bench/prof/profile.py turns that into per-function figures.
 *
 * Use: qemu-system-x86_64 -plugin insnprof.so,out=FILE ...  Window k is
 * written to FILE.k.  QEMU with -icount runs every vCPU in one thread, so
 * the plain (non-atomic) counters are exact.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <qemu-plugin.h>

QEMU_PLUGIN_EXPORT int qemu_plugin_version = QEMU_PLUGIN_VERSION;

struct block {
	uint64_t vaddr;
	uint64_t insns;
	uint64_t execs;		/* updated inline by the translated code */
};

#define NBUCKETS (1u << 20)	/* open addressing, power of two */

static struct block *table;
static unsigned int nused;
static const char *out_path = "insnprof";
static unsigned int markers;

static struct block *block_get(uint64_t vaddr, uint64_t insns)
{
	uint64_t h = (vaddr ^ (vaddr >> 17) ^ (insns << 40)) * 0x9e3779b97f4a7c15ull;
	unsigned int i = h >> 44;

	for (;; i = (i + 1) & (NBUCKETS - 1)) {
		struct block *b = &table[i];

		if (b->insns == 0) {
			if (nused >= NBUCKETS - NBUCKETS / 8) {
				fprintf(stderr, "insnprof: table full\n");
				abort();
			}
			nused++;
			b->vaddr = vaddr;
			b->insns = insns;
			return b;
		}
		if (b->vaddr == vaddr && b->insns == insns)
			return b;
	}
}

static void window_dump(void)
{
	char path[4096];
	unsigned int i;
	FILE *f;

	snprintf(path, sizeof(path), "%s.%u", out_path, markers / 2);
	f = fopen(path, "w");
	if (!f) {
		perror(path);
		return;
	}
	for (i = 0; i < NBUCKETS; i++)
		if (table[i].execs)
			fprintf(f, "%" PRIx64 " %" PRIu64 " %" PRIu64 "\n",
				table[i].vaddr, table[i].insns, table[i].execs);
	fclose(f);
}

static void on_marker(unsigned int vcpu, void *udata)
{
	unsigned int i;

	(void)vcpu;
	(void)udata;
	markers++;
	if (markers % 2 == 0) {
		window_dump();
		return;
	}
	for (i = 0; i < NBUCKETS; i++)
		table[i].execs = 0;
}

static int is_marker(struct qemu_plugin_insn *insn)
{
	static const unsigned char marker[] = { 0x66, 0x87, 0xdb };

	return qemu_plugin_insn_size(insn) == sizeof(marker) &&
	       !memcmp(qemu_plugin_insn_data(insn), marker, sizeof(marker));
}

static void on_translate(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	size_t n = qemu_plugin_tb_n_insns(tb), i;
	struct block *b = block_get(qemu_plugin_tb_vaddr(tb), n);

	(void)id;
	qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64,
						 &b->execs, 1);
	for (i = 0; i < n; i++) {
		struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);

		if (is_marker(insn))
			qemu_plugin_register_vcpu_insn_exec_cb(insn, on_marker,
						QEMU_PLUGIN_CB_NO_REGS, NULL);
	}
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id,
					   const qemu_info_t *info,
					   int argc, char **argv)
{
	int i;

	(void)info;
	for (i = 0; i < argc; i++)
		if (!strncmp(argv[i], "out=", 4))
			out_path = argv[i] + 4;
	table = calloc(NBUCKETS, sizeof(*table));
	if (!table)
		return -1;
	qemu_plugin_register_vcpu_tb_trans_cb(id, on_translate);
	return 0;
}
