import { pci_devices } from "../../../../../drivers/pci/enumerate";
import { lspci_text } from "../../../../../drivers/pci/lspci";
import { register_command, UsageError } from "../../command";

register_command({
  name: "lspci",
  usage: "lspci [-v]",
  description: "list PCI devices (-v: BARs, IRQ routing, capabilities)",
  run(ctx) {
    const verbose = ctx.argv[1] === "-v";
    if (ctx.argv.length > 2 || (ctx.argv.length === 2 && !verbose)) throw new UsageError();
    ctx.tty.write(lspci_text(pci_devices(), verbose));
  },
});
