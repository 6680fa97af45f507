package main

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// blog is the chapter's sample API: blog posts to list, create, edit and
// delete, and a login that sets a session cookie. It knows nothing about
// CORS: corskit, in front of it, does all of that.
type blog struct {
	mu       sync.Mutex
	posts    []post
	nextID   int
	version  int               // changes with every write, for the ETag
	sessions map[string]string // session cookie value -> user
}

type post struct {
	ID    int    `json:"id"`
	Title string `json:"title"`
}

func newBlog() *blog {
	return &blog{
		posts: []post{
			{1, "CORS in Action, chapter 6: best practices"},
			{2, "Why Vary: Origin matters"},
		},
		nextID:   3,
		version:  1,
		sessions: make(map[string]string),
	}
}

// A route is one handler of the API. A path parameter is written ":id",
// as Gin, Echo and Fiber write it; net/http's mux spells it "{id}".
type route struct {
	method, path string
	handler      http.HandlerFunc
}

func (b *blog) routes() []route {
	return []route{
		{"GET", "/api/posts", b.list},
		{"POST", "/api/posts", b.create},
		{"PUT", "/api/posts/:id", b.update},
		{"DELETE", "/api/posts/:id", b.delete},
		{"POST", "/api/login", b.login},
		{"GET", "/api/me", b.me},
		{"GET", "/api/public/stats", b.stats},
	}
}

// stats answers public numbers about the blog: the part of the API any
// origin may read (see policy).
func (b *blog) stats(w http.ResponseWriter, r *http.Request) {
	b.mu.Lock()
	n := len(b.posts)
	b.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]int{"posts": n})
}

// list answers the posts, with X-Total-Count and ETag: headers a script may
// read only when the policy exposes them.
func (b *blog) list(w http.ResponseWriter, r *http.Request) {
	b.mu.Lock()
	posts, version := slices.Clone(b.posts), b.version
	b.mu.Unlock()
	w.Header().Set("X-Total-Count", strconv.Itoa(len(posts)))
	w.Header().Set("ETag", fmt.Sprintf(`W/"posts-%d"`, version))
	writeJSON(w, http.StatusOK, posts)
}

// create adds a post from a form (a simple request) or a JSON body (a
// preflighted one).
func (b *blog) create(w http.ResponseWriter, r *http.Request) {
	title, err := readTitle(r)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	b.mu.Lock()
	p := post{ID: b.nextID, Title: title}
	b.nextID++
	b.version++
	b.posts = append(b.posts, p)
	b.mu.Unlock()
	w.Header().Set("Location", "/api/posts/"+strconv.Itoa(p.ID))
	writeJSON(w, http.StatusCreated, p)
}

func (b *blog) update(w http.ResponseWriter, r *http.Request) {
	id, ok := postID(w, r)
	if !ok {
		return
	}
	title, err := readTitle(r)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	i := slices.IndexFunc(b.posts, func(p post) bool { return p.ID == id })
	if i < 0 {
		http.Error(w, "no such post", http.StatusNotFound)
		return
	}
	b.posts[i].Title = title
	b.version++
	writeJSON(w, http.StatusOK, b.posts[i])
}

// delete removes a post. Deleting a post that is not there succeeds too.
func (b *blog) delete(w http.ResponseWriter, r *http.Request) {
	id, ok := postID(w, r)
	if !ok {
		return
	}
	b.mu.Lock()
	b.posts = slices.DeleteFunc(b.posts, func(p post) bool { return p.ID == id })
	b.version++
	b.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

// login starts a session for the demo's one user and sets its cookie.
// SameSite=Lax is enough: the client page (localhost:1111) and the API
// (localhost:9999) are the same site, as ports do not count, so the browser
// sends the cookie on the page's credentialed requests. SameSite=None would
// need Secure, that is HTTPS.
func (b *blog) login(w http.ResponseWriter, r *http.Request) {
	var raw [12]byte
	rand.Read(raw[:])
	token := hex.EncodeToString(raw[:])
	b.mu.Lock()
	b.sessions[token] = "reader"
	b.mu.Unlock()
	http.SetCookie(w, &http.Cookie{
		Name: "session", Value: token, Path: "/",
		HttpOnly: true, SameSite: http.SameSiteLaxMode,
	})
	writeJSON(w, http.StatusOK, map[string]string{"user": "reader"})
}

// me answers who the session cookie belongs to, or 401 without one.
func (b *blog) me(w http.ResponseWriter, r *http.Request) {
	user := ""
	if c, err := r.Cookie("session"); err == nil {
		b.mu.Lock()
		user = b.sessions[c.Value]
		b.mu.Unlock()
	}
	if user == "" {
		http.Error(w, "not logged in: no session cookie arrived", http.StatusUnauthorized)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"user": user})
}

// postID reads the post id from the last path segment, the same way under
// every framework.
func postID(w http.ResponseWriter, r *http.Request) (int, bool) {
	id, err := strconv.Atoi(r.URL.Path[strings.LastIndexByte(r.URL.Path, '/')+1:])
	if err != nil {
		http.Error(w, "bad post id", http.StatusBadRequest)
		return 0, false
	}
	return id, true
}

// readTitle reads the title from a JSON body or a form.
func readTitle(r *http.Request) (string, error) {
	var title string
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		var p post
		if err := json.NewDecoder(http.MaxBytesReader(nil, r.Body, 1<<16)).Decode(&p); err != nil {
			return "", fmt.Errorf("bad JSON: %v", err)
		}
		title = p.Title
	} else {
		title = r.FormValue("title")
	}
	if title == "" {
		return "", fmt.Errorf("a post needs a title")
	}
	return title, nil
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}
