export const NAPKIN_VERSION = "0.1.0";
