/* Wall-clock time: the CMOS RTC read once at boot, advanced by the TSC clock. */
#ifndef NAPKIN_WALLTIME_H
#define NAPKIN_WALLTIME_H
void walltime_init(void);
double walltime_us(void); /* µs since the Unix epoch */
#endif
