// Command pause holds a pod's namespaces open, as Kubernetes' own pause container does: it sleeps, reaps the
// children orphaned into it, and exits 0 on SIGINT or SIGTERM. The node builds it because no image registry is
// reachable from the development machines.
package main

import (
	"os"
	"os/signal"
	"syscall"
)

func main() {
	signals := make(chan os.Signal, 8)
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM, syscall.SIGCHLD)
	for s := range signals {
		if s != syscall.SIGCHLD {
			os.Exit(0)
		}
		for {
			pid, err := syscall.Wait4(-1, nil, syscall.WNOHANG, nil)
			if pid <= 0 || err != nil {
				break
			}
		}
	}
}
