package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"time"

	"hotline"
	"hotline/disclosure"
)

// Disclosure is a ticket as published on the portal (信息公开): redacted,
// without its requester.
type Disclosure struct {
	ID           int64      `json:"id"`
	TicketID     int64      `json:"ticket_id,omitempty"`
	Number       string     `json:"number,omitempty"` // the centre's view only
	Title        string     `json:"title"`
	Content      string     `json:"content"`
	Reply        string     `json:"reply"`
	Category     string     `json:"category"`
	Findings     int        `json:"findings,omitempty"`
	Status       string     `json:"status"` // draft, published, withdrawn
	ProposedAt   time.Time  `json:"proposed_at"`
	ApprovedName string     `json:"approved_name,omitempty"`
	PublishedAt  *time.Time `json:"published_at,omitempty"`
}

func canDisclose(actor hotline.Actor) error {
	if !actor.Role.Has(hotline.PermDisclose) {
		return hotline.Errorf(hotline.EForbidden, "%s不能办理信息公开", actor.Role.Label())
	}
	return nil
}

// known is what the ticket holds about its requester.
func known(t *hotline.Ticket) disclosure.Known {
	r := t.Requester
	return disclosure.Known{Names: []string{r.Name}, Phones: []string{r.Phone}, Addresses: []string{r.Address}}
}

// redactAll redacts the three texts and counts the findings.
func redactAll(k disclosure.Known, texts ...*string) int {
	n := 0
	for _, s := range texts {
		out, f := disclosure.Redact(strings.TrimSpace(*s), k)
		*s, n = out, n+len(f)
	}
	return n
}

// ProposeDisclosure drafts a concluded ticket for publication: its
// title, content and reply redacted with its own requester's data (a
// confidential ticket is never published); audited.
func (db *DB) ProposeDisclosure(ctx context.Context, actor hotline.Actor, ticketID int64) (*Disclosure, error) {
	if err := canDisclose(actor); err != nil {
		return nil, err
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	t, err := findTicket(ctx, tx, ticketID, false)
	if err != nil {
		return nil, err
	}
	switch {
	case t.Status != hotline.StatusConcluded && t.Status != hotline.StatusArchived:
		return nil, hotline.Errorf(hotline.EConflict, "只有已办结的工单可以公开")
	case t.Confidential:
		return nil, hotline.Errorf(hotline.EConflict, "保密工单不能公开")
	}
	d := &Disclosure{TicketID: t.ID, Number: t.Number, Title: t.Title, Content: t.Content, Reply: t.Reply, Status: "draft", ProposedAt: tx.now}
	d.Findings = redactAll(known(t), &d.Title, &d.Content, &d.Reply)
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(path, '') FROM categories WHERE id = $1`, t.CategoryID).Scan(&d.Category); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	err = tx.QueryRowContext(ctx, `INSERT INTO disclosures (ticket_id, title, content, reply, category, findings, status, proposed_by, proposed_at)
		VALUES ($1, $2, $3, $4, $5, $6, 'draft', $7, $8) ON CONFLICT (ticket_id) DO NOTHING RETURNING id`, t.ID, d.Title, d.Content, d.Reply, d.Category,
		d.Findings, nullID(actor.UserID), tx.now.UnixMilli()).Scan(&d.ID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, hotline.Errorf(hotline.EConflict, "工单 %s 已在信息公开中", t.Number)
	} else if err != nil {
		return nil, err
	}
	if err := appendAudit(ctx, tx, actor, "disclosure.propose", ticketTarget(t), strconv.Itoa(d.Findings)+" redacted"); err != nil {
		return nil, err
	}
	return d, tx.Commit()
}

// ProposeDisclosureByNumber is ProposeDisclosure for the ticket with the
// number.
func (db *DB) ProposeDisclosureByNumber(ctx context.Context, actor hotline.Actor, number string) (*Disclosure, error) {
	var id int64
	err := db.read.QueryRowContext(ctx, `SELECT id FROM tickets WHERE number = $1`, strings.TrimSpace(number)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, hotline.Invalid("number", "没有工单 %s", number)
	} else if err != nil {
		return nil, err
	}
	return db.ProposeDisclosure(ctx, actor, id)
}

// EditDisclosure changes a draft's texts (redacted again: an edit cannot
// bring the requester back); audited.
func (db *DB) EditDisclosure(ctx context.Context, actor hotline.Actor, id int64, title, content, reply string) (*Disclosure, error) {
	if err := canDisclose(actor); err != nil {
		return nil, err
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	d, t, err := db.disclosure(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	if d.Status != "draft" {
		return nil, hotline.Errorf(hotline.EConflict, "只能修改待审核的公开稿")
	}
	if strings.TrimSpace(title) == "" || strings.TrimSpace(content) == "" {
		return nil, hotline.Invalid("content", "标题和内容不能为空")
	}
	d.Title, d.Content, d.Reply = title, content, reply
	d.Findings = redactAll(known(t), &d.Title, &d.Content, &d.Reply)
	if _, err := tx.ExecContext(ctx, `UPDATE disclosures SET title = $1, content = $2, reply = $3, findings = $4 WHERE id = $5`,
		d.Title, d.Content, d.Reply, d.Findings, id); err != nil {
		return nil, err
	}
	if err := appendAudit(ctx, tx, actor, "disclosure.edit", ticketTarget(t), ""); err != nil {
		return nil, err
	}
	return d, tx.Commit()
}

// DecideDisclosure publishes a draft (approved, who approved recorded)
// or withdraws one; audited.
func (db *DB) DecideDisclosure(ctx context.Context, actor hotline.Actor, id int64, publish bool) (*Disclosure, error) {
	if err := canDisclose(actor); err != nil {
		return nil, err
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	d, t, err := db.disclosure(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	action := "disclosure.withdraw"
	if publish {
		if d.Status != "draft" {
			return nil, hotline.Errorf(hotline.EConflict, "该公开稿已审核")
		}
		d.Status, d.ApprovedName, d.PublishedAt, action = "published", actor.Name, &tx.now, "disclosure.publish"
		_, err = tx.ExecContext(ctx, `UPDATE disclosures SET status = 'published', approved_by = $1, approved_name = $2, published_at = $3 WHERE id = $4`,
			nullID(actor.UserID), actor.Name, tx.now.UnixMilli(), id)
	} else {
		d.Status = "withdrawn"
		_, err = tx.ExecContext(ctx, `UPDATE disclosures SET status = 'withdrawn' WHERE id = $1`, id)
	}
	if err != nil {
		return nil, err
	}
	if err := appendAudit(ctx, tx, actor, action, ticketTarget(t), ""); err != nil {
		return nil, err
	}
	return d, tx.Commit()
}

const disclosureColumns = `d.id, d.ticket_id, t.number, d.title, d.content, d.reply, d.category, d.findings, d.status, d.proposed_at, d.approved_name, d.published_at
	FROM disclosures d JOIN tickets t ON t.id = d.ticket_id`

func scanDisclosure(r interface{ Scan(...any) error }) (*Disclosure, error) {
	d := &Disclosure{}
	var at int64
	if err := r.Scan(&d.ID, &d.TicketID, &d.Number, &d.Title, &d.Content, &d.Reply, &d.Category, &d.Findings, &d.Status, &at, &d.ApprovedName,
		nullTime{&d.PublishedAt}); err != nil {
		return nil, err
	}
	d.ProposedAt = fromMS(at)
	return d, nil
}

func (db *DB) disclosure(ctx context.Context, tx *Tx, id int64) (*Disclosure, *hotline.Ticket, error) {
	d, err := scanDisclosure(tx.QueryRowContext(ctx, `SELECT `+disclosureColumns+` WHERE d.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, hotline.Errorf(hotline.ENotFound, "公开稿 %d 不存在", id)
	} else if err != nil {
		return nil, nil, err
	}
	t, err := findTicket(ctx, tx, d.TicketID, false)
	return d, t, err
}

// Disclosures lists the drafts and publications for the centre, newest
// first (status "" for all).
func (db *DB) Disclosures(ctx context.Context, actor hotline.Actor, status string) ([]*Disclosure, error) {
	if err := canDisclose(actor); err != nil {
		return nil, err
	}
	return db.disclosures(ctx, `($1 = '' OR d.status = $1) ORDER BY d.id DESC LIMIT 200`, status)
}

// PublicDisclosures lists what is published (q: words in the title or
// the content), newest first, as the portal shows them: no ticket
// number, no requester.
func (db *DB) PublicDisclosures(ctx context.Context, q string, limit int) ([]*Disclosure, error) {
	q = strings.TrimSpace(q)
	out, err := db.disclosures(ctx, `d.status = 'published' AND ($1 = '' OR d.title LIKE '%' || $1 || '%' OR d.content LIKE '%' || $1 || '%')
		ORDER BY d.published_at DESC, d.id DESC LIMIT `+strconv.Itoa(min(max(limit, 1), 100)), q)
	for _, d := range out {
		d.TicketID, d.Number, d.Findings = 0, "", 0
	}
	return out, err
}

// PublicDisclosure is one published appeal as the portal shows it.
func (db *DB) PublicDisclosure(ctx context.Context, id int64) (*Disclosure, error) {
	out, err := db.disclosures(ctx, `d.status = 'published' AND d.id = CAST($1 AS BIGINT)`, strconv.FormatInt(id, 10))
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, hotline.Errorf(hotline.ENotFound, "没有这条公开信息")
	}
	out[0].TicketID, out[0].Number, out[0].Findings = 0, "", 0
	return out[0], nil
}

func (db *DB) disclosures(ctx context.Context, where, arg string) ([]*Disclosure, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT `+disclosureColumns+` WHERE `+where, arg)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*Disclosure{}
	for rows.Next() {
		d, err := scanDisclosure(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}
