module minato.local/pause

go 1.24
