/*
 * Physical memory. Paging stays off, so a physical address is a pointer.
 * The largest usable region above the kernel image is split in two: the
 * malloc heap (QuickJS's memory) below, and a pool of pages for DMA above,
 * handed out as contiguous runs by a first-fit page bitmap.
 */
#include <string.h>
#include "mem.h"
#include "io.h"
#include "serial.h"

extern char kernel_image_start[], kernel_image_end[];

struct mem_region mem_regions[MAX_MEM_REGIONS];
int mem_region_count;
uint32_t phys_total;

#define DMA_MAX_PAGES (32u * 1024 * 1024 / PAGE_SIZE)
static uint8_t *dma_base;
static uint32_t dma_pages;
static uint32_t dma_pages_used;
static uint8_t page_used[DMA_MAX_PAGES];   /* one byte a page: 1 = taken */
static uint32_t run_length[DMA_MAX_PAGES]; /* at a run's first page: its length */

uint32_t kernel_image_size(void) { return (uint32_t)(kernel_image_end - kernel_image_start); }

static uint8_t cmos_read(uint8_t reg) {
    outb(0x70, reg);
    return inb(0x71);
}

/* The multiboot map alone is not enough: without a BIOS, v86 reports every
 * address that is not MMIO as RAM. The CMOS holds the real size. */
static uint32_t ram_size_from_cmos(void) {
    uint32_t above_16m = (cmos_read(0x34) | cmos_read(0x35) << 8) * 65536u;
    if (above_16m) return 16u * 1024 * 1024 + above_16m;
    uint32_t above_1m_kb = cmos_read(0x30) | cmos_read(0x31) << 8;
    return 1024u * 1024 + above_1m_kb * 1024u;
}

static void add_region(uint64_t base, uint64_t length, uint32_t type) {
    if (mem_region_count == MAX_MEM_REGIONS) return;
    mem_regions[mem_region_count++] = (struct mem_region){ base, length, type };
}

void mem_init(uint32_t mbi) {
    uint32_t flags = *(uint32_t *)mbi;
    uint32_t ram = ram_size_from_cmos();
    if (flags & (1u << 6)) {
        uint32_t length = *(uint32_t *)(mbi + 44), addr = *(uint32_t *)(mbi + 48);
        for (uint32_t p = addr; p < addr + length;) {
            uint32_t size = *(uint32_t *)p;
            uint64_t base = *(uint64_t *)(p + 4), len = *(uint64_t *)(p + 12);
            uint32_t type = *(uint32_t *)(p + 20);
            if (type == 1 && base < ram) {
                if (base + len > ram) len = ram - base;
                add_region(base, len, type);
            } else if (type != 1) {
                add_region(base, len, type);
            }
            p += size + 4;
        }
    } else {
        add_region(0, 640 * 1024, 1);
        add_region(1024 * 1024, ram - 1024 * 1024, 1);
    }
    phys_total = ram;

    /* The usable RAM past the kernel image. */
    uint32_t start = (uint32_t)kernel_image_end, end = start;
    for (int i = 0; i < mem_region_count; i++) {
        struct mem_region *r = &mem_regions[i];
        if (r->type == 1 && r->base <= start && r->base + r->length > end) end = (uint32_t)(r->base + r->length);
    }
    if (end - start < 8u * 1024 * 1024) {
        kprintf("napkin: only %u KiB of RAM above the kernel, need 8 MiB\n", (end - start) / 1024);
        for (;;) __asm__ volatile("cli; hlt");
    }
    uint32_t dma_bytes = (end - start) / 4;
    if (dma_bytes > DMA_MAX_PAGES * PAGE_SIZE) dma_bytes = DMA_MAX_PAGES * PAGE_SIZE;
    dma_pages = dma_bytes / PAGE_SIZE;
    dma_base = (uint8_t *)((end - dma_pages * PAGE_SIZE) & ~(PAGE_SIZE - 1));
    heap_init((void *)start, (size_t)(dma_base - (uint8_t *)start));
}

void *dma_alloc_pages(uint32_t pages) {
    if (pages == 0) return NULL;
    for (uint32_t first = 0; first + pages <= dma_pages;) {
        uint32_t n = 0;
        while (n < pages && !page_used[first + n]) n++;
        if (n == pages) {
            memset(page_used + first, 1, pages);
            run_length[first] = pages;
            dma_pages_used += pages;
            void *p = dma_base + first * PAGE_SIZE;
            memset(p, 0, pages * PAGE_SIZE);
            return p;
        }
        first += n + 1;
    }
    return NULL;
}

void dma_free_pages(void *base) {
    uint32_t first = (uint32_t)((uint8_t *)base - dma_base) / PAGE_SIZE;
    if ((uint8_t *)base < dma_base || first >= dma_pages || !run_length[first]) return;
    memset(page_used + first, 0, run_length[first]);
    dma_pages_used -= run_length[first];
    run_length[first] = 0;
}

uint32_t dma_total_bytes(void) { return dma_pages * PAGE_SIZE; }
uint32_t dma_used_bytes(void) { return dma_pages_used * PAGE_SIZE; }
