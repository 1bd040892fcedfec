package sqldb

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"hotline"
	"hotline/report"
)

// Ledgers (诉求业务工作台账): the tickets accepted in a period, kept by
// category, by unit or by appeal kind.
const (
	LedgerByCategory = "category"
	LedgerByUnit     = "unit"
	LedgerByKind     = "kind"
)

// LedgerKinds are the ledgers there are.
var LedgerKinds = []string{LedgerByCategory, LedgerByUnit, LedgerByKind}

// LedgerFilter selects a ledger's tickets: accepted in Period (cancelled
// ones left out), and optionally of one category and those below it, one
// lead unit, one appeal kind, one channel.
type LedgerFilter struct {
	Kind       string
	Period     report.Period
	CategoryID int64
	UnitID     int64
	AppealKind hotline.AppealKind
	Channel    hotline.Channel
}

// Ledger hands fn the ledger's tickets in its order (by the key of its
// kind, then by acceptance), the requester masked as on every page, to
// those who may see the statistics; export, when set, records in the
// audit log that the ledger left the system (with its filter and size).
// It returns how many there were. With a limit (a page's preview) only
// the first limit reach fn, and the count is the ledger's whole.
func (s *Stats) Ledger(ctx context.Context, actor hotline.Actor, f LedgerFilter, export bool, limit int, fn func(t *hotline.Ticket) error) (int, error) {
	if err := canSeeStats(actor); err != nil {
		return 0, err
	}
	order := map[string]string{LedgerByCategory: "category_id", LedgerByUnit: "COALESCE(lead_unit_id, 0)", LedgerByKind: "appeal_kind"}[f.Kind]
	if order == "" {
		return 0, hotline.Invalid("kind", "台账须为 category（按分类）、unit（按承办单位）或 kind（按诉求类型）")
	}
	where := []string{"created_at >= $1", "created_at < $2", "status <> 'cancelled'"}
	args := []any{f.Period.From.UnixMilli(), f.Period.To.UnixMilli()}
	if f.CategoryID > 0 {
		cats, err := s.db.FindCategories(ctx)
		if err != nil {
			return 0, err
		}
		ids := categoryAndBelow(cats, f.CategoryID)
		if len(ids) == 0 {
			return 0, hotline.Invalid("category_id", "没有这个分类")
		}
		where = append(where, "category_id IN ("+joinIDs(ids)+")")
	}
	if f.UnitID > 0 {
		args = append(args, f.UnitID)
		where = append(where, fmt.Sprintf("lead_unit_id = $%d", len(args)))
	}
	if f.AppealKind != "" {
		if !f.AppealKind.Valid() {
			return 0, hotline.Invalid("appeal_kind", "诉求类型无效")
		}
		args = append(args, f.AppealKind)
		where = append(where, fmt.Sprintf("appeal_kind = $%d", len(args)))
	}
	if f.Channel != "" {
		if !f.Channel.Valid() {
			return 0, hotline.Invalid("channel", "渠道无效")
		}
		args = append(args, f.Channel)
		where = append(where, fmt.Sprintf("channel = $%d", len(args)))
	}
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	q := `SELECT ` + ticketColumns + ` FROM tickets WHERE ` + strings.Join(where, " AND ") + ` ORDER BY ` + order + `, created_at, id`
	total := -1
	if limit > 0 {
		// A preview: the count, and the first rows picked by their narrow
		// columns before the wide rows are read.
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM tickets WHERE `+strings.Join(where, " AND "), args...).Scan(&total); err != nil {
			return 0, err
		}
		q = `SELECT ` + ticketColumns + ` FROM tickets WHERE id IN (SELECT id FROM tickets WHERE ` + strings.Join(where, " AND ") +
			` ORDER BY ` + order + `, created_at, id LIMIT ` + fmt.Sprint(limit) + `) ORDER BY ` + order + `, created_at, id`
	}
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return 0, err
	}
	n := 0
	for rows.Next() {
		t, err := s.db.scanTicket(rows)
		if err != nil {
			rows.Close()
			return n, err
		}
		t.RedactFor(actor)
		if err := fn(t); err != nil {
			rows.Close()
			return n, err
		}
		n++
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return n, err
	}
	tx.Rollback()
	if total >= 0 {
		n = total
	}
	if export {
		detail := fmt.Sprintf("%s台账 %s，%d 张；条件：分类 %d 单位 %d 类型 %s 渠道 %s", f.Kind, f.Period.Key(), n, f.CategoryID, f.UnitID, f.AppealKind, f.Channel)
		if err := s.db.audit(ctx, actor, "export.ledger", "ledger:"+f.Kind, detail); err != nil {
			return n, err
		}
	}
	return n, nil
}

// categoryAndBelow is the category and every category under it.
func categoryAndBelow(cats []*hotline.Category, id int64) []int64 {
	var out []int64
	for _, c := range cats {
		for at, hops := c, 0; at != nil && hops < 5; hops++ {
			if at.ID == id {
				out = append(out, c.ID)
				break
			}
			var parent *hotline.Category
			for _, p := range cats {
				if p.ID == at.ParentID {
					parent = p
				}
			}
			at = parent
		}
	}
	return out
}

// LedgerKey is a ticket's key in a ledger of the kind (a category or
// unit id as text, or the appeal kind).
func LedgerKey(kind string, t *hotline.Ticket) string {
	switch kind {
	case LedgerByCategory:
		return strconv.FormatInt(t.CategoryID, 10)
	case LedgerByUnit:
		return strconv.FormatInt(t.LeadUnitID, 10)
	}
	return string(t.AppealKind)
}
