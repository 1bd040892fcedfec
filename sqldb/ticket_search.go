package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"runtime"

	"hotline"
	"hotline/zhsearch"
)

// ticketIndexText is a ticket's index text: title, and content with
// reply, as two-character runs (zhsearch.BigramText) — a fraction of the
// cost of segmenting, and every query still matches.
func ticketIndexText(t *hotline.Ticket) (title, body string) {
	return zhsearch.BigramText(t.Title), zhsearch.BigramText(t.Content + "\n" + t.Reply)
}

// indexTicket writes a ticket's segmented text into the full-text index,
// in the transaction that saves the ticket.
func (db *DB) indexTicket(ctx context.Context, tx *Tx, t *hotline.Ticket) error {
	title, body := ticketIndexText(t)
	return db.writeTicketIndex(ctx, tx, t.ID, title, body)
}

func (db *DB) writeTicketIndex(ctx context.Context, tx *Tx, id int64, title, body string) error {
	return db.dialect.writeTicketIndex(ctx, tx, id, title, body)
}

// ticketText is a ticket search: every word of q (or a synonym) in the
// title, content or reply, as the dialect writes it (dialect.ticketMatches).
// ok is false when q has no word to search for (only stop words).
func (db *DB) ticketText(ctx context.Context, q string, arg func(any) string) (from, cond, order string, ok bool, err error) {
	an, err := db.analyzer(ctx)
	if err != nil {
		return "", "", "", false, err
	}
	query := an.Query(q)
	if query.Empty() {
		return "", "", "", false, nil
	}
	from, cond, order = db.dialect.ticketMatches(query, len(query.Groups), arg)
	return from, cond, order, true, nil
}

// IndexTickets brings the ticket search index up to date: every ticket
// after the last one indexed, 500 per transaction; progress is called
// after each batch. New tickets are not indexed when they are accepted
// (that halved the acceptance rate) but by this pass, which the indexer
// job runs a moment after each acceptance; replies, reopenings and merged
// replies re-index their ticket in their own transaction. A reply that
// lands while a pass runs is never overwritten with the text from before
// it (see indexSQLite, indexPostgres). Safe to run from several instances
// at once.
func (db *DB) IndexTickets(ctx context.Context, progress func(done, total int)) error {
	return db.indexTickets(ctx, progress, runtime.GOMAXPROCS(0), 500)
}

// IndexNewTickets is the indexer job's pass while the centre works: as
// IndexTickets, but perTransaction tickets per transaction (and on
// PostgreSQL cutting text on one core). While calls keep coming the job
// asks for a few at a time, so that each acceptance waits little for the
// writer behind it; when they pause, for more.
func (db *DB) IndexNewTickets(ctx context.Context, perTransaction int) error {
	return db.indexTickets(ctx, nil, 1, max(1, perTransaction))
}

func (db *DB) indexTickets(ctx context.Context, progress func(done, total int), workers, chunk int) error {
	var upto, last int64
	err := db.read.QueryRowContext(ctx, `SELECT COALESCE((SELECT value FROM search_state WHERE name = 'tickets'), 0)`).Scan(&upto)
	if err != nil {
		return err
	}
	if err := db.read.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM tickets`).Scan(&last); err != nil {
		return err
	}
	total, done := int(last-upto), 0
	for upto < last {
		var n int
		var next int64
		n, next, err = db.dialect.indexTickets(ctx, db, upto, last, workers, chunk)
		if err != nil {
			return err
		}
		upto, done = next, done+n
		if progress != nil {
			progress(done, total)
		}
	}
	return nil
}

// indexSQLite indexes up to n tickets after upto in one transaction,
// reading their text in it: one writer at a time, so no change can come
// between the read and the write. (Segmenting into runs is cheap enough
// to do inside.) It returns how many it indexed and the new mark.
func (db *DB) indexSQLite(ctx context.Context, upto, last int64, n int) (int, int64, error) {
	if db.beforeIndexWrite != nil {
		db.beforeIndexWrite()
	}
	tx, err := db.beginUnsynced(ctx)
	if err != nil {
		return 0, 0, err
	}
	defer tx.Rollback()
	batch, err := ticketTexts(ctx, tx, upto, last, n)
	if err != nil {
		return 0, 0, err
	}
	next := last
	if len(batch) == n {
		next = batch[len(batch)-1].id
	}
	// Old rows are deleted first and the new ones inserted in rowid
	// order: FTS5 flushes its pending terms to a new segment whenever a
	// write goes back in rowid order, and a flush per ticket spent three
	// quarters of the time merging segments.
	for _, b := range batch {
		b.idxTitle, b.idxBody = ticketIndexText(&hotline.Ticket{Title: b.title, Content: b.body})
		var indexed int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM ticket_fts WHERE rowid = $1`, b.id).Scan(&indexed); err != nil {
			return 0, 0, err
		}
		if indexed > 0 {
			if _, err := tx.ExecContext(ctx, `DELETE FROM ticket_fts WHERE rowid = $1`, b.id); err != nil {
				return 0, 0, err
			}
		}
	}
	for _, b := range batch {
		if _, err := tx.ExecContext(ctx, `INSERT INTO ticket_fts (rowid, title, body) VALUES ($1, $2, $3)`, b.id, b.idxTitle, b.idxBody); err != nil {
			return 0, 0, err
		}
	}
	if err := setMark(ctx, tx, "tickets", next); err != nil {
		return 0, 0, err
	}
	return len(batch), next, tx.Commit()
}

// indexPostgres indexes up to 500 tickets after upto: their text is read
// and cut outside the write transactions (on workers goroutines), then
// written chunk tickets per transaction, each by one conditional UPDATE
// that skips a ticket whose text changed since it was read (it waits for,
// then sees, a concurrent change; the change re-indexed it).
func (db *DB) indexPostgres(ctx context.Context, upto, last int64, workers, chunk int) (int, int64, error) {
	batch, err := ticketTexts(ctx, db.read, upto, last, 500)
	if err != nil {
		return 0, 0, err
	}
	next := last
	if len(batch) == 500 {
		next = batch[len(batch)-1].id
	}
	if err := parallel(len(batch), workers, func(i int) error {
		b := batch[i]
		b.idxTitle, b.idxBody = ticketIndexText(&hotline.Ticket{Title: b.title, Content: b.body})
		return nil
	}); err != nil {
		return 0, 0, err
	}
	if db.beforeIndexWrite != nil {
		db.beforeIndexWrite()
	}
	for i := 0; i < len(batch); i += chunk {
		part, mark := batch[i:min(i+chunk, len(batch))], next
		if i+chunk < len(batch) {
			mark = batch[i+chunk-1].id
		}
		tx, err := db.begin(ctx)
		if err != nil {
			return 0, 0, err
		}
		for _, b := range part {
			if _, err := tx.ExecContext(ctx, `UPDATE tickets SET search = setweight(to_tsvector('simple', $1), 'A') || to_tsvector('simple', $2)
				WHERE id = $3 AND title = $4 AND content || ' ' || reply = $5`, b.idxTitle, b.idxBody, b.id, b.title, b.body); err != nil {
				tx.Rollback()
				return 0, 0, err
			}
		}
		if err := setMark(ctx, tx, "tickets", mark); err != nil {
			tx.Rollback()
			return 0, 0, err
		}
		if err := tx.Commit(); err != nil {
			return 0, 0, err
		}
	}
	return len(batch), next, nil
}

// setMark moves a background pass's high-water mark (search_state:
// "tickets" for the index, "merge_proposals") up to next, never down:
// two instances may run the pass at once.
func setMark(ctx context.Context, tx *Tx, name string, next int64) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO search_state (name, value) VALUES ($1, $2)
		ON CONFLICT (name) DO UPDATE SET value = CASE WHEN excluded.value > search_state.value THEN excluded.value ELSE search_state.value END`, name, next)
	return err
}

type ticketText struct {
	id                int64
	title, body       string // as stored
	idxTitle, idxBody string // segmented
}

// ticketTexts reads the text of up to n tickets with ids in (after, upto].
func ticketTexts(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, after, upto int64, n int) ([]*ticketText, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, title, content || ' ' || reply FROM tickets WHERE id > $1 AND id <= $2 ORDER BY id LIMIT $3`, after, upto, n)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*ticketText
	for rows.Next() {
		t := &ticketText{}
		if err := rows.Scan(&t.id, &t.title, &t.body); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// parallel runs fn(0…n-1) on up to workers goroutines and returns the
// first error.
func parallel(n, workers int, fn func(i int) error) error {
	workers = max(1, min(workers, n))
	errs := make(chan error, workers)
	next := make(chan int)
	for w := 0; w < workers; w++ {
		go func() {
			var first error
			for i := range next {
				if err := fn(i); err != nil && first == nil {
					first = err
				}
			}
			errs <- first
		}()
	}
	for i := 0; i < n; i++ {
		next <- i
	}
	close(next)
	var err error
	for w := 0; w < workers; w++ {
		if e := <-errs; e != nil && err == nil {
			err = e
		}
	}
	return err
}

// ResetTicketIndex makes the next IndexTickets start from the first
// ticket (after the dictionary changed how text is cut).
func (db *DB) ResetTicketIndex(ctx context.Context) error {
	tx, err := db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM search_state WHERE name = 'tickets'`); err != nil {
		return err
	}
	return tx.Commit()
}

// ticketWindow is the first id range a PostgreSQL ticket search looks at.
const ticketWindow = int64(20000)

// searchWindow bounds a PostgreSQL ticket search listed newest first. The
// GIN index finds the matches in no useful order: reading a common word's
// tens of thousands of rows to sort them cost 300 ms at a million
// tickets, and walking the id index backwards, checking each row, costs as
// much for a rare word. So the matches are counted in the newest tickets
// first — ids above lo, a range of the id index ANDed with the GIN
// bitmap — widened fourfold from ticketWindow until it holds the capped
// total (MaxTicketHits+1) and the page, or is the whole table (lo = 0).
// The page is then sorted from the matches in that range. It returns lo
// and the total.
func searchWindow(ctx context.Context, tx *Tx, cond string, args []any, need int) (lo int64, total int, err error) {
	var top int64
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM tickets`).Scan(&top); err != nil {
		return 0, 0, err
	}
	want := max(need, MaxTicketHits+1)
	all := `SELECT COUNT(*) FROM tickets` + cond
	inRange := fmt.Sprintf(`%s AND id > $%d`, all, len(args)+1)
	for width := tx.db.ticketWindow; ; width *= 4 {
		lo = max(0, top-width)
		// No LIMIT: with one, PostgreSQL walks the id index expecting a
		// match soon.
		q, a := inRange, append(args, lo)
		if lo == 0 {
			q, a = all, args
		}
		if err := tx.QueryRowContext(ctx, q, a...).Scan(&total); err != nil {
			return 0, 0, err
		}
		if total >= want || lo == 0 {
			return lo, min(total, MaxTicketHits+1), nil
		}
	}
}
