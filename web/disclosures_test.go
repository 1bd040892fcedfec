package web_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
)

// TestDisclosure_Pages: the team lead proposes a concluded ticket whose
// text repeats its requester's data, and publishes it from the page; the
// portal's list and page hold none of the requester's protected fields
// (name, phone, address) nor the ticket's number.
func TestDisclosure_Pages(t *testing.T) {
	e := MustServer(t)
	tk := e.concluded(map[string]any{"title": "王五反映凤凰街2号停水", "content": "王五（13912345678）家住凤凰街2号，停水两天。"})
	c, csrf := loggedIn(t, e, "lead")
	if code, loc := postForm(t, c, e.srv.URL+"/disclosures", url.Values{"csrf_token": {csrf}, "action": {"propose"}, "number": {tk.Number}}); code != 303 {
		t.Fatalf("propose: %d %s", code, loc)
	}
	var list struct {
		Items []struct {
			ID       int64
			Status   string
			Content  string
			Findings int
		}
	}
	e.call("lead", "GET", "/api/v1/disclosures", nil, 200, &list)
	if len(list.Items) != 1 || list.Items[0].Status != "draft" || strings.Contains(list.Items[0].Content, "13912345678") {
		t.Fatalf("drafts %+v", list)
	}
	id := fmt.Sprint(list.Items[0].ID)
	if code, _ := postForm(t, c, e.srv.URL+"/disclosures", url.Values{"csrf_token": {csrf}, "action": {"publish"}, "id": {id}}); code != 303 {
		t.Fatalf("publish: %d", code)
	}
	_, index := get(t, browser(t), e.srv.URL+"/portal/disclosures?q=停水")
	_, page := get(t, browser(t), e.srv.URL+"/portal/disclosures/"+id)
	if !strings.Contains(index, "/portal/disclosures/"+id) || !strings.Contains(page, "停水两天") || !strings.Contains(page, "管道已修复") {
		t.Fatalf("portal pages: %.300s / %.300s", index, page)
	}
	for _, secret := range []string{"王五", "13912345678", "凤凰街2号", tk.Number} {
		if strings.Contains(index, secret) || strings.Contains(page, secret) {
			t.Errorf("the portal shows %q", secret)
		}
	}
	e.call("agent", "GET", "/api/v1/disclosures", nil, 403, nil)
}
