module streammix.io/netcheck

go 1.22
