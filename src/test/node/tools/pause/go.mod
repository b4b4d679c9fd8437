module streammix.io/pause

go 1.22
