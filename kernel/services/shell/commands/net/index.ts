// The network commands; importing this file registers them.
import "./host";
import "./ip";
import "./lspci";
import "./napi";
import "./ping";
import "./tcpecho";
import "./tcpsend";
import "./tcpdump";
