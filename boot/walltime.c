/*
 * Wall-clock time for Date.now() and gettimeofday(): the CMOS real-time clock
 * is read once at boot; from then on the monotonic TSC clock advances it.
 */
#include <stdint.h>
#include <sys/time.h>
#include "io.h"
#include "timer.h"
#include "walltime.h"

static double epoch_us_at_boot;

static uint8_t rtc(uint8_t reg) {
    outb(0x70, reg);
    return inb(0x71);
}

static int from_bcd(uint8_t v, int binary) { return binary ? v : (v >> 4) * 10 + (v & 15); }

static int64_t days_from_civil(int y, int m, int d) {
    /* Days since 1970-01-01 in the proleptic Gregorian calendar. */
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void walltime_init(void) {
    for (int spins = 0; spins < 1000000 && (rtc(0x0A) & 0x80); spins++)
        cpu_relax(); /* wait out an update in progress */
    int binary = rtc(0x0B) & 0x04;
    int sec = from_bcd(rtc(0x00), binary), min = from_bcd(rtc(0x02), binary);
    int hour = from_bcd(rtc(0x04) & 0x7F, binary), day = from_bcd(rtc(0x07), binary);
    int month = from_bcd(rtc(0x08), binary), year = 2000 + from_bcd(rtc(0x09), binary);
    int64_t seconds = days_from_civil(year, month, day) * 86400 + hour * 3600 + min * 60 + sec;
    epoch_us_at_boot = (double)seconds * 1e6 - clock_now_us();
}

double walltime_us(void) { return epoch_us_at_boot + clock_now_us(); }

int gettimeofday(struct timeval *tv, void *tz) {
    (void)tz;
    double us = walltime_us();
    tv->tv_sec = (time_t)(us / 1e6);
    tv->tv_usec = (suseconds_t)(us - (double)tv->tv_sec * 1e6);
    return 0;
}
