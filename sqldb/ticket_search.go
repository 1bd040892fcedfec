package sqldb

import (
	"context"
	"runtime"

	"hotline"
)

// ticketIndexText is a ticket's segmented title, and content with reply.
func (db *DB) ticketIndexText(ctx context.Context, t *hotline.Ticket) (title, body string, err error) {
	an, err := db.analyzer(ctx)
	if err != nil {
		return "", "", err
	}
	return an.IndexText(t.Title), an.IndexText(t.Content + "\n" + t.Reply), nil
}

// indexTicket writes a ticket's segmented text into the full-text index,
// in the transaction that saves the ticket.
func (db *DB) indexTicket(ctx context.Context, tx *Tx, t *hotline.Ticket) error {
	title, body, err := db.ticketIndexText(ctx, t)
	if err != nil {
		return err
	}
	return db.writeTicketIndex(ctx, tx, t.ID, title, body)
}

func (db *DB) writeTicketIndex(ctx context.Context, tx *Tx, id int64, title, body string) error {
	if db.dialect == postgres {
		_, err := tx.ExecContext(ctx, `UPDATE tickets SET search = setweight(to_tsvector('simple', $1), 'A') || to_tsvector('simple', $2)
			WHERE id = $3`, title, body, id)
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM ticket_fts WHERE rowid = $1`, id); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO ticket_fts (rowid, title, body) VALUES ($1, $2, $3)`, id, title, body)
	return err
}

// ticketTextCondition is a ticket search: every word of q (or a synonym)
// in the title, content or reply — a WHERE condition on PostgreSQL, a FROM
// clause on SQLite. ok is false when q has no word to search for (only
// stop words).
func (db *DB) ticketTextCondition(ctx context.Context, q string, arg func(any) string) (cond string, ok bool, err error) {
	an, err := db.analyzer(ctx)
	if err != nil {
		return "", false, err
	}
	query := an.Query(q)
	if query.Empty() {
		return "", false, nil
	}
	if db.dialect == postgres {
		return "search @@ CAST(" + arg(query.TSQuery(len(query.Groups))) + " AS tsquery)", true, nil
	}
	// SQLite: the matches drive the query (a FROM clause, m.fid), so that
	// newest first walks the index backwards and stops at the page.
	return "(SELECT rowid AS fid FROM ticket_fts WHERE ticket_fts MATCH " + arg(query.FTS5(len(query.Groups))) + ") m JOIN tickets ON tickets.id = m.fid", true, nil
}

// IndexTickets indexes the tickets that existed before ticket search did
// (or, after ResetTicketIndex, all of them), 500 per transaction, from
// where the last pass stopped; progress is called after each batch. The
// text is segmented on every core before the write transaction, so other
// writers wait only for the inserts. New tickets are indexed as they are
// saved, so this runs once.
func (db *DB) IndexTickets(ctx context.Context, progress func(done, total int)) error {
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
		batch, err := db.ticketTexts(ctx, upto, last, 500)
		if err != nil {
			return err
		}
		next := last
		if len(batch) == 500 {
			next = batch[len(batch)-1].id
		}
		if err := parallel(len(batch), func(i int) error {
			var err error
			b := batch[i]
			b.title, b.body, err = db.ticketIndexText(ctx, &hotline.Ticket{Title: b.title, Content: b.body})
			return err
		}); err != nil {
			return err
		}
		tx, err := db.begin(ctx)
		if err != nil {
			return err
		}
		for _, b := range batch {
			if err := db.writeTicketIndex(ctx, tx, b.id, b.title, b.body); err != nil {
				tx.Rollback()
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM search_state WHERE name = 'tickets'`); err != nil {
			tx.Rollback()
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO search_state (name, value) VALUES ('tickets', $1)`, next); err != nil {
			tx.Rollback()
			return err
		}
		if err := tx.Commit(); err != nil {
			return err
		}
		upto, done = next, done+len(batch)
		if progress != nil {
			progress(done, total)
		}
	}
	return nil
}

type ticketText struct {
	id          int64
	title, body string
}

// ticketTexts reads the text of up to n tickets with ids in (after, upto].
func (db *DB) ticketTexts(ctx context.Context, after, upto int64, n int) ([]*ticketText, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT id, title, content || ' ' || reply FROM tickets WHERE id > $1 AND id <= $2 ORDER BY id LIMIT $3`, after, upto, n)
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

// parallel runs fn(0…n-1) on every core and returns the first error.
func parallel(n int, fn func(i int) error) error {
	workers := min(runtime.GOMAXPROCS(0), n)
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
