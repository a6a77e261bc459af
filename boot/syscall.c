/*
 * napkin links musl as an ordinary static program would, so musl's startup
 * and the few library paths that reach the kernel do so with int 0x80. This
 * shim answers them: the TLS slot, console writes, the clock, and a clear
 * ENOSYS for everything else.
 */
#include <errno.h>
#include <stdint.h>
#include <sys/uio.h>
#include "cpu.h"
#include "serial.h"
#include "timer.h"
#include "walltime.h"

#define SYS_exit 1
#define SYS_write 4
#define SYS_ioctl 54
#define SYS_writev 146
#define SYS_set_thread_area 243
#define SYS_exit_group 252
#define SYS_clock_gettime 265
#define SYS_clock_gettime64 403

struct user_desc {
    int32_t entry_number;
    uint32_t base_addr, limit, flags;
};

struct timespec32 { int32_t tv_sec, tv_nsec; };
struct timespec64 { int64_t tv_sec; int32_t tv_nsec, pad; };

static long sys_set_thread_area(struct user_desc *d) {
    if (d->entry_number == -1) d->entry_number = GDT_TLS_ENTRY;
    if (d->entry_number != GDT_TLS_ENTRY) return -EINVAL;
    gdt_set_tls(GDT_TLS_ENTRY, d->base_addr);
    return 0;
}

static long sys_write(int fd, const char *buf, uint32_t n) {
    if (fd != 1 && fd != 2) return -EBADF;
    serial_write(buf, n);
    return (long)n;
}

static long sys_writev(int fd, const struct iovec *iov, int count) {
    long total = 0;
    for (int i = 0; i < count; i++) {
        long r = sys_write(fd, iov[i].iov_base, (uint32_t)iov[i].iov_len);
        if (r < 0) return r;
        total += r;
    }
    return total;
}

static long sys_clock_gettime(int clock, void *ts, int is64) {
    double us = clock == 0 /* CLOCK_REALTIME */ ? walltime_us() : clock_now_us();
    int64_t sec = (int64_t)(us / 1e6);
    int32_t nsec = (int32_t)((us - (double)sec * 1e6) * 1000);
    if (is64) *(struct timespec64 *)ts = (struct timespec64){ sec, nsec, 0 };
    else *(struct timespec32 *)ts = (struct timespec32){ (int32_t)sec, nsec };
    return 0;
}

long syscall_dispatch(struct trap_frame *f) {
    switch (f->eax) {
    case SYS_set_thread_area: return sys_set_thread_area((struct user_desc *)f->ebx);
    case SYS_write: return sys_write((int)f->ebx, (const char *)f->ecx, f->edx);
    case SYS_writev: return sys_writev((int)f->ebx, (const struct iovec *)f->ecx, (int)f->edx);
    case SYS_clock_gettime: return sys_clock_gettime((int)f->ebx, (void *)f->ecx, 0);
    case SYS_clock_gettime64: return sys_clock_gettime((int)f->ebx, (void *)f->ecx, 1);
    case SYS_ioctl: return -ENOTTY;
    case SYS_exit:
    case SYS_exit_group:
        kprintf("napkin: the runtime called exit(%d)\n", (int)f->ebx);
        for (;;) __asm__ volatile("cli; hlt");
    default: return -ENOSYS;
    }
}
