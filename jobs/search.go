package jobs

import (
	"context"
	"log/slog"
	"time"

	"hotline"
	"hotline/sqldb"
)

// TicketIndexer keeps the ticket search index up to date, and after each
// pass proposes merges for the new tickets (sqldb.DB.ProposeMerges). At start it
// indexes what is missing (tickets saved before search existed, or since
// the last run), logging progress every ten seconds; then it indexes new
// tickets Delay after an acceptance is announced — batching a burst of
// acceptances into one pass — and every Interval in any case (changes
// announced while it was busy, other instances' tickets on SQLite files
// shared by tools).
type TicketIndexer struct {
	DB       *sqldb.DB
	Logger   *slog.Logger
	Delay    time.Duration // default 500 ms
	Interval time.Duration // default 30 s

	proposed time.Time // last merge proposals
	accepted time.Time // last acceptance announced
}

// Run indexes until ctx ends.
func (ix *TicketIndexer) Run(ctx context.Context) {
	delay, interval := ix.Delay, ix.Interval
	if delay <= 0 {
		delay = 500 * time.Millisecond
	}
	if interval <= 0 {
		interval = 30 * time.Second
	}
	changes, stop := ix.DB.Subscribe()
	defer stop()
	// The segmenter is needed by the first search and merge proposals:
	// loaded now, not in the middle of a burst of calls.
	if err := ix.DB.LoadAnalyzer(ctx); err != nil && ctx.Err() == nil {
		ix.Logger.Error("load the search dictionary", "err", err)
	}
	ix.pass(ctx, true)
	tick := time.NewTicker(interval)
	defer tick.Stop()
	var soon <-chan time.Time
	for {
		select {
		case <-ctx.Done():
			return
		case c := <-changes:
			if c.Action == hotline.ActionAccept {
				ix.accepted = time.Now()
				if soon == nil {
					soon = time.After(delay)
				}
			}
		case <-soon:
			soon = nil
			ix.pass(ctx, false)
		case <-tick.C:
			ix.pass(ctx, false)
		}
	}
}

// pass indexes what is missing: at start on every core with progress in
// the log, later gently (see sqldb.DB.IndexNewTickets).
func (ix *TicketIndexer) pass(ctx context.Context, verbose bool) {
	start, last := time.Now(), time.Now()
	var err error
	if verbose {
		err = ix.DB.IndexTickets(ctx, func(done, total int) {
			if time.Since(last) > 10*time.Second || done == total {
				ix.Logger.Info("indexing tickets for search", "done", done, "total", total)
				last = time.Now()
			}
		})
	} else {
		err = ix.DB.IndexNewTickets(ctx)
	}
	if err != nil && ctx.Err() == nil {
		ix.Logger.Error("index tickets", "err", err)
		return
	}
	// New tickets waiting for dispatch: their likely duplicates, for the
	// dispatcher's queue. Comparing costs a millisecond or two a ticket,
	// and in a burst of calls accepting them comes first: while tickets
	// keep coming, 100 every ten seconds; when it calms down, the rest.
	busy := time.Since(ix.accepted) < 2*time.Second
	if !busy || time.Since(ix.proposed) >= 10*time.Second {
		ix.proposed = time.Now()
		if n, err := ix.DB.ProposeMerges(ctx, 100); err != nil && ctx.Err() == nil {
			ix.Logger.Error("propose merges", "err", err)
		} else if n > 0 {
			ix.Logger.Debug("merge proposals", "found", n)
		}
	}
	if verbose {
		ix.Logger.Debug("ticket index up to date", "took", time.Since(start))
	}
}
