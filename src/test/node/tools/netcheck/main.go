// netcheck is the NetworkPolicy tests' probe on the test nodes (src/test/node/build-node-binaries.sh builds it):
//
//	netcheck listen PORT...          accepts TCP connections on each port and logs every peer
//	netcheck dial HOST:PORT MILLIS   prints one word for what a connection attempt from this pod met:
//	                                 connected, refused, timeout (or "error ...")
//
// A policy that drops shows as timeout, one that rejects as refused; the tests compare with a control case.
package main

import (
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"syscall"
	"time"
)

func main() {
	if len(os.Args) >= 3 && os.Args[1] == "listen" {
		for _, port := range os.Args[2:] {
			l, err := net.Listen("tcp", ":"+port)
			if err != nil {
				fmt.Println("listen", port, err)
				os.Exit(1)
			}
			go serve(port, l)
		}
		fmt.Println("listening")
		select {}
	}
	if len(os.Args) == 4 && os.Args[1] == "dial" {
		ms, _ := strconv.Atoi(os.Args[3])
		c, err := net.DialTimeout("tcp", os.Args[2], time.Duration(ms)*time.Millisecond)
		var ne net.Error
		switch {
		case err == nil:
			c.Close()
			fmt.Println("connected")
		case errors.Is(err, syscall.ECONNREFUSED):
			fmt.Println("refused")
		case errors.As(err, &ne) && ne.Timeout():
			fmt.Println("timeout")
		default:
			fmt.Println("error", err)
		}
		return
	}
	fmt.Fprintln(os.Stderr, "usage: netcheck listen PORT... | netcheck dial HOST:PORT MILLIS")
	os.Exit(2)
}

func serve(port string, l net.Listener) {
	for {
		c, err := l.Accept()
		if err != nil {
			continue
		}
		fmt.Println("accepted", port, "from", c.RemoteAddr())
		c.Write([]byte("ok\n"))
		c.Close()
	}
}
