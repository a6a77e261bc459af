// Names for the PCI functions napkin meets, for lspci. Unknown ones print as numbers.
const VENDORS: Record<number, string> = {
  0x8086: "Intel Corporation",
  0x10ec: "Realtek Semiconductor Co., Ltd.",
  0x1af4: "Red Hat, Inc.",
  0x1234: "QEMU",
  0x10de: "NVIDIA Corporation",
};

const DEVICES: Record<string, string> = {
  "8086:1237": "440FX - 82441FX PMC [Natoma]",
  "8086:7000": "82371SB PIIX3 ISA [Natoma/Triton II]",
  "8086:7010": "82371SB PIIX3 IDE [Natoma/Triton II]",
  "8086:7113": "82371AB/EB/MB PIIX4 ACPI",
  "8086:100e": "82540EM Gigabit Ethernet Controller",
  "10ec:8029": "RTL-8029(AS)",
  "1af4:1000": "Virtio network device (transitional)",
  "1af4:1041": "Virtio 1.0 network device",
  "1234:1111": "Bochs/QEMU VGA",
};

const CLASSES: Record<number, string> = {
  0x0101: "IDE interface",
  0x0200: "Ethernet controller",
  0x0300: "VGA compatible controller",
  0x0600: "Host bridge",
  0x0601: "ISA bridge",
  0x0604: "PCI bridge",
  0x0680: "Bridge",
  0x0780: "Communication controller",
  0x0c03: "USB controller",
};

const hex4 = (n: number) => n.toString(16).padStart(4, "0");

export function vendor_name(vendor: number): string {
  return VENDORS[vendor] ?? `Device ${hex4(vendor)}`;
}

export function device_name(vendor: number, device: number): string {
  return DEVICES[`${hex4(vendor)}:${hex4(device)}`] ?? `Device ${hex4(device)}`;
}

export function class_name(class_code: number): string {
  return CLASSES[class_code >>> 8] ?? `Class ${hex4(class_code >>> 8)}`;
}
