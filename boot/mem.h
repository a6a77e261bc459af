/* Physical memory: the map, the heap region and the DMA page pool. */
#ifndef NAPKIN_MEM_H
#define NAPKIN_MEM_H
#include <stddef.h>
#include <stdint.h>

#define PAGE_SIZE 4096

struct mem_region {
    uint64_t base, length;
    uint32_t type; /* 1 = usable RAM */
};

#define MAX_MEM_REGIONS 32
extern struct mem_region mem_regions[MAX_MEM_REGIONS];
extern int mem_region_count;
extern uint32_t phys_total;

/* Reads the multiboot map, clamps it to the RAM the machine really has and
 * splits the largest free region between the malloc heap and the DMA pool. */
void mem_init(uint32_t multiboot_info);
uint32_t kernel_image_size(void);

/* The DMA pool: physically contiguous, zeroed, page-aligned runs. */
void *dma_alloc_pages(uint32_t pages);
void dma_free_pages(void *base);
uint32_t dma_total_bytes(void);
uint32_t dma_used_bytes(void);

/* malloc.c */
void heap_init(void *start, size_t length);
size_t heap_total_bytes(void);
size_t heap_used_bytes(void);
int malloc_selftest(void);
/* QuickJS's allocation functions over this heap, for JS_NewRuntime2. */
struct JSMallocFunctions;
extern const struct JSMallocFunctions js_heap_functions;
#endif
