package main

import (
	"embed"
	"html/template"
	"net/http"
)

// static holds the two pages (templates), their script and their style.
//
//go:embed static
var static embed.FS

var pages = template.Must(template.ParseFS(static, "static/*.html"))

// pageData is what the page templates get. Config is handed to the
// pages' script as JSON.
type pageData struct {
	*demo
	Config pageConfig
}

type pageConfig struct {
	API    string `json:"api"`
	Client string `json:"client"`
	Denied string `json:"denied"`
}

// clientPage serves the blog's client page, the origin the policy allows.
func (d *demo) clientPage() http.Handler { return d.pageServer("client.html") }

// deniedPage serves a page from an origin the policy does not list.
func (d *demo) deniedPage() http.Handler { return d.pageServer("denied.html") }

func (d *demo) pageServer(name string) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		data := pageData{d, pageConfig{API: d.API, Client: d.Client, Denied: d.Denied}}
		if err := pages.ExecuteTemplate(w, name, data); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
		}
	})
	mux.Handle("GET /static/", http.FileServerFS(static))
	return mux
}
