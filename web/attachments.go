package web

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"hotline"
	"hotline/sqldb"
)

// maxUploadFiles bounds the files of one upload (a form or an API call).
const maxUploadFiles = 5

// upload is one file of a multipart request.
type upload struct {
	name string
	data []byte
}

// multipart reports whether the request carries a multipart form.
func multipart(r *http.Request) bool {
	return strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data")
}

// readUploads reads the "file" parts of a multipart request and checks
// each against the centre's policy before any is stored, so that one bad
// file changes nothing. No file is no upload (nil).
func (s *Server) readUploads(r *http.Request) ([]upload, error) {
	if !multipart(r) {
		return nil, nil
	}
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var maxErr *http.MaxBytesError
		if errors.As(err, &maxErr) {
			return nil, hotline.Invalid("file", "上传的文件合计超过 %d MB", maxErr.Limit>>20)
		}
		return nil, hotline.Invalid("file", "上传的表单无法读取")
	}
	heads := r.MultipartForm.File["file"]
	if len(heads) > maxUploadFiles {
		return nil, hotline.Invalid("file", "一次最多上传 %d 个文件", maxUploadFiles)
	}
	var out []upload
	for _, h := range heads {
		if h.Size == 0 && h.Filename == "" {
			continue // an empty file input
		}
		f, err := h.Open()
		if err != nil {
			return nil, hotline.Invalid("file", "上传的文件无法读取")
		}
		data, err := io.ReadAll(io.LimitReader(f, s.DB.FilePolicy.MaxBytes+1))
		f.Close()
		if err != nil {
			return nil, hotline.Invalid("file", "上传的文件无法读取")
		}
		if _, err := s.DB.FilePolicy.Check(h.Filename, data); err != nil {
			return nil, sqldb.FileRefused(err)
		}
		out = append(out, upload{h.Filename, data})
	}
	return out, nil
}

// attach stores the uploads on a ticket, in order.
func (s *Server) attach(r *http.Request, ticketID int64, ups []upload) ([]*hotline.Attachment, error) {
	out := []*hotline.Attachment{}
	for _, u := range ups {
		a, err := s.DB.AddTicketAttachment(r.Context(), actorFrom(r), ticketID, u.name, u.data)
		if err != nil {
			return out, err
		}
		out = append(out, a)
	}
	return out, nil
}

// handleAddAttachments is POST /api/v1/tickets/{id}/attachments: one or
// more files in the multipart field "file".
func (s *Server) handleAddAttachments(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	ups, err := s.readUploads(r)
	if err == nil && len(ups) == 0 {
		err = hotline.Invalid("file", "请选择要上传的文件（multipart 表单的 file 字段）")
	}
	if err != nil {
		s.error(w, r, err)
		return
	}
	out, err := s.attach(r, id, ups)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"items": out})
}

// handleAttachmentForm is the ticket page's upload.
func (s *Server) handleAttachmentForm(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	ups, err := s.readUploads(r)
	if err == nil && len(ups) == 0 {
		err = hotline.Invalid("file", "请选择要上传的文件")
	}
	if err == nil {
		_, err = s.attach(r, id, ups)
	}
	if err != nil {
		s.ticketFormError(w, r, hotline.ActionAttach, err)
		return
	}
	http.Redirect(w, r, "/tickets/"+strconv.FormatInt(id, 10)+"#attachments", http.StatusSeeOther)
}

// handleAttachment sends an attachment (or its thumbnail) to one who may
// see its ticket: pictures inline, anything else as a download, never
// able to run in the hotline's origin.
func (s *Server) handleAttachment(w http.ResponseWriter, r *http.Request) {
	id, ok := parseID(r.PathValue("id"))
	if !ok {
		s.error(w, r, hotline.Errorf(hotline.ENotFound, "附件不存在"))
		return
	}
	thumb := strings.HasSuffix(r.URL.Path, "/thumbnail")
	a, data, err := s.DB.OpenTicketAttachment(r.Context(), actorFrom(r), id, thumb)
	if err != nil {
		s.error(w, r, err)
		return
	}
	ctype, disposition := a.ContentType, "attachment"
	if thumb {
		ctype, disposition = "image/jpeg", "inline"
	} else if strings.HasPrefix(ctype, "image/") {
		disposition = "inline"
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Security-Policy", "default-src 'none'; sandbox")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`%s; filename="file"; filename*=UTF-8''%s`, disposition, urlPathEscape(a.Name)))
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	w.Write(data)
}
