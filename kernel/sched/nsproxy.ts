// The namespaces a thread lives in, as Linux's struct nsproxy. The scheduler
// only hands a thread's nsproxy on to the threads it starts; it never looks
// inside. Each kind of namespace adds its own member by declaration merging
// (the net core adds `net_ns` in kernel/net/netns.ts), the way nsproxy.h
// names struct net without including the network headers.
//
// An nsproxy is never changed in place: setns() gives the thread a new one
// (see kernel/net/namespaces.ts), so threads that share one are unaffected.
export interface NsProxy {}

/** The root namespaces, which every thread has unless its parent lived elsewhere. */
export const init_nsproxy: NsProxy = {};
