package sqldb

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"hotline"
)

// AuditChains is how many hash chains the audit log is spread over (see
// migration 0003).
const AuditChains = 8

// appendAudit adds an entry to the audit log inside tx, so that the audited
// act and its record commit together or not at all.
func appendAudit(ctx context.Context, tx *Tx, actor hotline.Actor, action, target, detail string) error {
	e := &hotline.AuditEntry{Chain: rand.IntN(AuditChains), At: tx.now, ActorID: actor.UserID, ActorName: actor.Name,
		Action: action, Target: target, Detail: detail, IP: actor.IP}
	if e.ActorName == "" && actor.UserID == 0 {
		e.ActorName = "系统"
	}
	// The head row of the chain is the lock: taken last in the transaction,
	// held only until commit.
	if err := tx.QueryRowContext(ctx, `UPDATE audit_heads SET seq = seq + 1 WHERE chain = $1 RETURNING seq, hash`, e.Chain).
		Scan(&e.Seq, &e.PrevHash); err != nil {
		return err
	}
	e.Hash = e.ComputeHash(tx.db.auditHash)
	if _, err := tx.ExecContext(ctx, `INSERT INTO audit_log (chain, seq, at, actor_id, actor_name, action, target, detail, ip, prev_hash, hash)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`, e.Chain, e.Seq, e.At.UnixMilli(), nullID(e.ActorID), e.ActorName,
		e.Action, e.Target, e.Detail, e.IP, e.PrevHash, e.Hash); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `UPDATE audit_heads SET hash = $1 WHERE chain = $2`, e.Hash, e.Chain)
	return err
}

// AuditFilter selects audit entries.
type AuditFilter struct {
	Action   string // prefix, e.g. "auth." or "ticket.reveal"
	ActorID  int64
	Target   string
	From, To time.Time
	Page     int
	PageSize int
}

const auditColumns = `id, chain, seq, at, COALESCE(actor_id, 0), actor_name, action, target, detail, ip, prev_hash, hash`

func scanAudit(s interface{ Scan(...any) error }) (*hotline.AuditEntry, error) {
	e := &hotline.AuditEntry{}
	var at int64
	err := s.Scan(&e.ID, &e.Chain, &e.Seq, &at, &e.ActorID, &e.ActorName, &e.Action, &e.Target, &e.Detail, &e.IP, &e.PrevHash, &e.Hash)
	e.At = fromMS(at)
	return e, err
}

// FindAudit returns one page of audit entries, newest first, for those who
// may read the log.
func (db *DB) FindAudit(ctx context.Context, actor hotline.Actor, f AuditFilter) ([]*hotline.AuditEntry, int, error) {
	if !actor.Role.Has(hotline.PermReadAudit) {
		return nil, 0, hotline.Errorf(hotline.EForbidden, "无权查看审计日志")
	}
	if f.Page < 1 {
		f.Page = 1
	}
	if f.PageSize < 1 || f.PageSize > 200 {
		f.PageSize = 50
	}
	var where []string
	var args []any
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	if f.Action != "" {
		where = append(where, fmt.Sprintf("SUBSTR(action, 1, %d) = %s", len([]rune(f.Action)), arg(f.Action)))
	}
	if f.ActorID != 0 {
		where = append(where, "actor_id = "+arg(f.ActorID))
	}
	if f.Target != "" {
		where = append(where, "target = "+arg(f.Target))
	}
	if !f.From.IsZero() {
		where = append(where, "at >= "+arg(f.From.UnixMilli()))
	}
	if !f.To.IsZero() {
		where = append(where, "at < "+arg(f.To.UnixMilli()))
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	var total int
	if err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log`+cond, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := db.read.QueryContext(ctx, `SELECT `+auditColumns+` FROM audit_log`+cond+` ORDER BY id DESC LIMIT `+
		arg(f.PageSize)+` OFFSET `+arg((f.Page-1)*f.PageSize), args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	out := []*hotline.AuditEntry{}
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, e)
	}
	return out, total, rows.Err()
}

// AuditReport is the result of verifying the audit log.
type AuditReport struct {
	Entries int      `json:"entries"`
	Heads   []string `json:"heads"` // last hash of each chain: record them elsewhere to anchor the log
	// Broken describes the first broken entry (lowest id), empty if intact.
	Broken   string `json:"broken,omitempty"`
	BrokenID int64  `json:"broken_id,omitempty"`
}

// VerifyAudit recomputes every chain: an altered entry no longer matches its
// hash, a deleted one leaves a gap in its chain's sequence (or behind its
// head). It reports the first broken entry by id.
func (db *DB) VerifyAudit(ctx context.Context) (*AuditReport, error) {
	rep := &AuditReport{}
	type fault struct {
		id  int64
		msg string
	}
	var first *fault
	note := func(id int64, format string, args ...any) {
		if first == nil || id < first.id {
			first = &fault{id, fmt.Sprintf(format, args...)}
		}
	}
	for chain := 0; chain < AuditChains; chain++ {
		var headSeq int64
		var headHash string
		if err := db.read.QueryRowContext(ctx, `SELECT seq, hash FROM audit_heads WHERE chain = $1`, chain).Scan(&headSeq, &headHash); err != nil {
			return nil, err
		}
		rep.Heads = append(rep.Heads, headHash)
		rows, err := db.read.QueryContext(ctx, `SELECT `+auditColumns+` FROM audit_log WHERE chain = $1 ORDER BY seq`, chain)
		if err != nil {
			return nil, err
		}
		var prevSeq, lastID int64
		prevHash, broken := "", false
		for rows.Next() {
			e, err := scanAudit(rows)
			if err != nil {
				rows.Close()
				return nil, err
			}
			rep.Entries++
			switch {
			case broken:
			case e.Seq != prevSeq+1:
				note(e.ID, "审计日志第 %d 条之前有记录被删除（链 %d 缺少序号 %d–%d）", e.ID, chain, prevSeq+1, e.Seq-1)
				broken = true
			case e.PrevHash != prevHash || e.ComputeHash(db.auditHash) != e.Hash:
				note(e.ID, "审计日志第 %d 条被篡改（链 %d 序号 %d 的哈希不符）", e.ID, chain, e.Seq)
				broken = true
			}
			prevSeq, prevHash, lastID = e.Seq, e.Hash, e.ID
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		if !broken && (prevSeq != headSeq || prevHash != headHash) {
			note(lastID+1, "审计日志链 %d 末尾的记录被删除或篡改（链头序号 %d，实有 %d）", chain, headSeq, prevSeq)
		}
	}
	if first != nil {
		rep.Broken, rep.BrokenID = first.msg, first.id
	}
	return rep, nil
}

// describeFilter is a ticket filter as the audit log keeps it.
func describeFilter(f TicketFilter) string {
	var parts []string
	add := func(k string, v any, set bool) {
		if set {
			parts = append(parts, fmt.Sprintf("%s=%v", k, v))
		}
	}
	add("q", hotline.MaskQuery(f.Q), f.Q != "")
	add("status", f.Status, len(f.Status) > 0)
	add("unit_id", f.UnitID, f.UnitID != 0)
	add("channel", f.Channel, f.Channel != "")
	add("appeal_kind", f.AppealKind, f.AppealKind != "")
	add("category_id", f.CategoryID, f.CategoryID != 0)
	add("owner_id", f.OwnerID, f.OwnerID != 0)
	add("overdue", f.Overdue != nil && *f.Overdue, f.Overdue != nil)
	add("from", f.From.In(hotline.ChinaZone).Format("2006-01-02"), !f.From.IsZero())
	add("to", f.To.AddDate(0, 0, -1).In(hotline.ChinaZone).Format("2006-01-02"), !f.To.IsZero()) // the filter's end is the next day
	if len(parts) == 0 {
		return "全部"
	}
	return strings.Join(parts, " ")
}

// MaxExportRows bounds one export.
const MaxExportRows = 20000

// ExportTickets returns up to MaxExportRows tickets matching f for an actor
// who may export, masked for display, and records the export in the audit
// log with its filter (the search words masked: hotline.MaskQuery) and
// size.
func (db *DB) ExportTickets(ctx context.Context, actor hotline.Actor, f TicketFilter) ([]*hotline.Ticket, error) {
	if !actor.Role.Has(hotline.PermExportTickets) {
		return nil, hotline.Errorf(hotline.EForbidden, "%s无权导出工单", actor.Role.Label())
	}
	var out []*hotline.Ticket
	f.PageSize = 200
	for f.Page = 1; len(out) < MaxExportRows; f.Page++ {
		items, _, err := db.FindTickets(ctx, actor, f)
		if err != nil {
			return nil, err
		}
		out = append(out, items...)
		if len(items) < f.PageSize {
			break
		}
	}
	if len(out) > MaxExportRows {
		out = out[:MaxExportRows]
	}
	if err := db.audit(ctx, actor, "export.tickets", "tickets", fmt.Sprintf("%d 张；条件：%s", len(out), describeFilter(f))); err != nil {
		return nil, err
	}
	return out, nil
}
