package web

import (
	"net/http"
	"strconv"

	"hotline"
	"hotline/sqldb"
)

// Public disclosure (信息公开): the centre's page to choose concluded
// tickets, check their redacted text and publish them; the portal's
// public list and page.

type disclosuresContent struct {
	Items []*sqldb.Disclosure
}

func (s *Server) handleDisclosuresPage(w http.ResponseWriter, r *http.Request) {
	s.show(w, r, http.StatusOK, "disclosures", "信息公开", func(rf *ref) (any, error) {
		items, err := s.DB.Disclosures(r.Context(), actorFrom(r), "")
		return &disclosuresContent{Items: items}, err
	})
}

// handleDisclosureForm proposes (number), edits (id, title, content,
// reply) or decides (id, decide=publish|withdraw) from the page.
func (s *Server) handleDisclosureForm(w http.ResponseWriter, r *http.Request) {
	a := actorFrom(r)
	id, _ := strconv.ParseInt(r.PostFormValue("id"), 10, 64)
	var err error
	switch r.PostFormValue("action") {
	case "propose":
		_, err = s.DB.ProposeDisclosureByNumber(r.Context(), a, r.PostFormValue("number"))
	case "edit":
		_, err = s.DB.EditDisclosure(r.Context(), a, id, r.PostFormValue("title"), r.PostFormValue("content"), r.PostFormValue("reply"))
	case "publish", "withdraw":
		_, err = s.DB.DecideDisclosure(r.Context(), a, id, r.PostFormValue("action") == "publish")
	default:
		err = hotline.Invalid("action", "应为 propose、edit、publish 或 withdraw")
	}
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	http.Redirect(w, r, "/disclosures?saved=1", http.StatusSeeOther)
}

// handleDisclosures is GET /api/v1/disclosures?status=.
func (s *Server) handleDisclosures(w http.ResponseWriter, r *http.Request) {
	items, err := s.DB.Disclosures(r.Context(), actorFrom(r), r.URL.Query().Get("status"))
	s.respond(w, r, http.StatusOK, map[string]any{"items": items}, err)
}

func (s *Server) handlePortalDisclosures(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query().Get("q")
	items, err := s.DB.PublicDisclosures(r.Context(), q, 50)
	s.renderPortal(w, r, http.StatusOK, "disclosures", "信息公开", map[string]any{"Q": q, "Items": items}, err)
}

func (s *Server) handlePortalDisclosure(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	d, err := s.DB.PublicDisclosure(r.Context(), id)
	s.renderPortal(w, r, http.StatusOK, "disclosure", "信息公开", d, err)
}
