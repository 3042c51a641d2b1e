// A crawler that only writes rows: one COPY of everything it read, no queue client.
//
// Reads `info_hash<TAB>title<TAB>size` lines on stdin and copies them into Minato's `torrents` table in one
// COPY; the feed (docs/feed.md) announces the whole statement at its COMMIT and Minato indexes it through
// bulk jobs of 500. A COPY stops at the first info hash already present: de-duplicate first, or insert
// through a staging table with ON CONFLICT DO NOTHING.
//
//	DATABASE_URL=postgres://minato:minato@127.0.0.1:5432/minato go run . < torrents.tsv
package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
)

func main() {
	if err := run(context.Background()); err != nil {
		fmt.Fprintln(os.Stderr, "go-crawler:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	url := os.Getenv("DATABASE_URL")
	if url == "" {
		url = "postgres://minato:minato@127.0.0.1:5432/minato"
	}
	rows, err := readTorrents(bufio.NewScanner(os.Stdin))
	if err != nil {
		return err
	}
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return fmt.Errorf("connecting to DATABASE_URL: %w", err)
	}
	defer conn.Close(ctx)
	copied, err := conn.CopyFrom(ctx, pgx.Identifier{"torrents"}, []string{"info_hash", "title", "size"},
		pgx.CopyFromRows(rows))
	if err != nil {
		return fmt.Errorf("copying %d torrents: %w", len(rows), err)
	}
	fmt.Printf("copied %d torrents\n", copied)
	return nil
}

func readTorrents(scanner *bufio.Scanner) ([][]any, error) {
	var rows [][]any
	for number := 1; scanner.Scan(); number++ {
		fields := strings.Split(scanner.Text(), "\t")
		if len(fields) != 3 {
			return nil, fmt.Errorf("line %d: expected info_hash, title and size, got %q", number, scanner.Text())
		}
		size, err := strconv.ParseInt(fields[2], 10, 64)
		if err != nil {
			return nil, fmt.Errorf("line %d: size must be an integer, got %q", number, fields[2])
		}
		rows = append(rows, []any{strings.ToLower(fields[0]), fields[1], size})
	}
	return rows, scanner.Err()
}
