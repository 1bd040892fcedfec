package sqldb

import (
	"context"
	"fmt"
	"strings"

	"hotline"
)

// MergeProposal is the open ticket most similar to a ticket waiting for
// dispatch, found when the ticket was indexed.
type MergeProposal struct {
	TicketID   int64   `json:"ticket_id"`
	SimilarID  int64   `json:"similar_id"`
	Number     string  `json:"number"` // of the similar ticket
	Similarity float64 `json:"similarity"`
}

// ProposeMerges looks for duplicates of the tickets indexed since its
// last run that still wait for dispatch (accepted or pending dispatch) and
// records the most similar open ticket of each, for the dispatcher's
// queue (FindMergeProposals): at most limit tickets a run, the rest on the
// next. The indexer job runs it after its passes; it returns how many
// proposals it recorded and whether tickets are left for the next run.
func (db *DB) ProposeMerges(ctx context.Context, limit int) (found int, more bool, err error) {
	var from, upto int64
	if err := db.read.QueryRowContext(ctx, `SELECT
		COALESCE((SELECT value FROM search_state WHERE name = 'merge_proposals'), 0),
		COALESCE((SELECT value FROM search_state WHERE name = 'tickets'), 0)`).Scan(&from, &upto); err != nil {
		return 0, false, err
	}
	if from >= upto {
		return 0, false, nil
	}
	if from == 0 {
		// First run: only tickets of the comparison window matter.
		if err := db.read.QueryRowContext(ctx, `SELECT COALESCE(MIN(id), 1) - 1 FROM tickets WHERE created_at >= $1`,
			db.Now().Add(-SimilarWindow).UnixMilli()).Scan(&from); err != nil {
			return 0, false, err
		}
	}
	rows, err := db.read.QueryContext(ctx, `SELECT id, title, content, COALESCE(location_unit_id, 0), COALESCE(category_id, 0) FROM tickets
		WHERE id > $1 AND id <= $2 AND status IN ('accepted', 'pending_dispatch') ORDER BY id LIMIT $3`, from, upto, limit)
	if err != nil {
		return 0, false, err
	}
	type waiting struct {
		id, unit, cat  int64
		title, content string
	}
	var todo []waiting
	for rows.Next() {
		var w waiting
		if err := rows.Scan(&w.id, &w.title, &w.content, &w.unit, &w.cat); err != nil {
			rows.Close()
			return 0, false, err
		}
		todo = append(todo, w)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, false, err
	}
	next := upto
	if len(todo) == limit {
		next = todo[len(todo)-1].id
	}
	var proposals []*MergeProposal
	for _, w := range todo {
		sim, err := db.findSimilar(ctx, SystemActor, SimilarQuery{Title: w.title, Content: w.content, LocationUnitID: w.unit, CategoryID: w.cat, Except: w.id}, 1, 50)
		if err != nil {
			return 0, false, err
		}
		if len(sim) > 0 {
			proposals = append(proposals, &MergeProposal{TicketID: w.id, SimilarID: sim[0].ID, Similarity: sim[0].Similarity})
		}
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return 0, false, err
	}
	defer tx.Rollback()
	for _, p := range proposals {
		if _, err := tx.ExecContext(ctx, `INSERT INTO merge_proposals (ticket_id, similar_id, similarity, found_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (ticket_id) DO UPDATE SET similar_id = excluded.similar_id, similarity = excluded.similarity, found_at = excluded.found_at`,
			p.TicketID, p.SimilarID, p.Similarity, tx.now.UnixMilli()); err != nil {
			return 0, false, err
		}
	}
	if err := setMark(ctx, tx, "merge_proposals", next); err != nil {
		return 0, false, err
	}
	return len(proposals), len(todo) == limit, tx.Commit()
}

// FindMergeProposals returns the recorded proposals of the given tickets
// whose similar ticket is still open, by ticket id. The centre only.
func (db *DB) FindMergeProposals(ctx context.Context, actor hotline.Actor, ids []int64) (map[int64]*MergeProposal, error) {
	if !actor.Centre() {
		return nil, hotline.Errorf(hotline.EForbidden, "%s无权查看相似工单", actor.Role.Label())
	}
	out := map[int64]*MergeProposal{}
	if len(ids) == 0 {
		return out, nil
	}
	list := make([]string, len(ids))
	for i, id := range ids {
		list[i] = fmt.Sprint(id)
	}
	rows, err := db.read.QueryContext(ctx, `SELECT p.ticket_id, p.similar_id, t.number, p.similarity FROM merge_proposals p
		JOIN tickets t ON t.id = p.similar_id
		WHERE p.ticket_id IN (`+strings.Join(list, ", ")+`) AND t.status NOT IN ('concluded', 'archived', 'merged', 'cancelled')`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		p := &MergeProposal{}
		if err := rows.Scan(&p.TicketID, &p.SimilarID, &p.Number, &p.Similarity); err != nil {
			return nil, err
		}
		out[p.TicketID] = p
	}
	return out, rows.Err()
}
