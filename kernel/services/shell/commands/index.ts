// Every shell command; importing a file registers its commands.
import "./cat";
import "./dmesg";
import "./echo";
import "./help";
import "./irqs";
import "./mem";
import "./perf";
import "./power";
import "./ps";
import "./sleep";
import "./sysrq";
import "./timerlat";
import "./timers";
import "./top";
import "./uptime";
import "./net";
import "./who";
