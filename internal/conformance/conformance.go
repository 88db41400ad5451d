// Package conformance checks HTTP traffic against Novu's official OpenAPI
// document (third_party/novu/openapi.json, 3.18.1) with kin-openapi.
//
// Wrap a handler, typically the emulator's, and every request and response
// that passes through is validated; each violation is reported with
// tb.Errorf naming the method, the path and what failed:
//
//	srv := novutest.NewServer(novutest.Options{Wrap: conformance.New(t).Wrap})
//
// Four corrections are made to the document in memory: the pattern
// SLUG_IDENTIFIER_REGEX (the name of a constant) becomes the regex it names
// (docs/novu-api.md §3); a pattern written as a JavaScript regex literal,
// /…/, loses its slashes; success bodies are unwrapped from Novu's {"data": …}
// envelope, which the published document strips (docs/novu-api.md §2.1); and a oneOf
// with a free-form object alternative is read as anyOf (see relaxOneOf).
// Bodies of 429 and 503, and of any error status an operation's document
// types as a bare string (409 on most), are checked as ErrorDto: Novu's
// exception filter sends an error object.
// 502 and 504 answers are not Novu's but a proxy's (the emulator's P502
// fault sends a load balancer's HTML page), so their bodies are not checked;
// every other status the document does not declare for an operation is
// reported like any other violation.
//
// The document is the repository's own copy, <module root>/third_party/novu/openapi.json
// (its source and licence are in the README beside it); $NOVU_OPENAPI, when
// set, names another one to check against instead. The check is on in every
// test run: a document that cannot be read fails the test, with or without
// CI=true, so traffic is never silently left unchecked.
package conformance

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
)

// RepoPath is where the repository keeps the document, relative to the
// module root.
const RepoPath = "third_party/novu/openapi.json"

// SlugIdentifierRegex is what the document's "SLUG_IDENTIFIER_REGEX" stands
// for (novuhq/novu packages/shared).
const SlugIdentifierRegex = `^[a-zA-Z0-9]+(?:[-_.][a-zA-Z0-9]+)*$`

// Spec is a loaded document with its router.
type Spec struct {
	Path     string
	Doc      *openapi3.T
	Router   routers.Router
	LoadTime time.Duration
}

var (
	loadOnce sync.Once
	loaded   *Spec
	loadErr  error
)

// SpecPath returns where the document is read from: $NOVU_OPENAPI, else
// DefaultPath.
func SpecPath() (string, error) {
	if p := os.Getenv("NOVU_OPENAPI"); p != "" {
		return p, nil
	}
	return DefaultPath()
}

// DefaultPath returns the repository's copy of the document,
// <module root>/third_party/novu/openapi.json, the module root being the
// nearest directory above the working directory that holds a go.mod.
func DefaultPath() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("conformance: find module root: %w", err)
	}
	root, ok := ModuleRoot(dir)
	if !ok {
		return "", errors.New("conformance: no go.mod above the working directory; set NOVU_OPENAPI")
	}
	return filepath.Join(root, filepath.FromSlash(RepoPath)), nil
}

// ModuleRoot is the nearest directory at or above dir that holds a go.mod,
// and whether there is one. The tests' other helpers that need the module
// root (testenv's golden command, the standalone check) use it too.
func ModuleRoot(dir string) (string, bool) {
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, true
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		dir = parent
	}
}

// Load reads and prepares the document once per process; it is 2.9 MB and
// takes long enough to load that every test sharing it matters.
func Load() (*Spec, error) {
	loadOnce.Do(func() { loaded, loadErr = load() })
	return loaded, loadErr
}

var slugPattern = regexp.MustCompile(`"pattern"\s*:\s*"SLUG_IDENTIFIER_REGEX"`)

// jsRegexPattern is a pattern written as a JavaScript regex literal,
// /…/: Nest prints class-validator's @Matches(/…/) so (the environment
// variable key, "/^[A-Za-z][A-Za-z0-9_]*$/"). Read as a Go regexp it
// would demand the slashes; the regex is what lies between them.
var jsRegexPattern = regexp.MustCompile(`"pattern"(\s*:\s*)"/((?:[^"\\]|\\.)*)/"`)

func load() (*Spec, error) {
	start := time.Now()
	path, err := SpecPath()
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("conformance: read OpenAPI document: %w", err)
	}
	quoted, _ := json.Marshal(SlugIdentifierRegex)
	data = slugPattern.ReplaceAll(data, append([]byte(`"pattern": `), quoted...))
	data = jsRegexPattern.ReplaceAll(data, []byte(`"pattern"$1"$2"`))
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(data)
	if err != nil {
		return nil, fmt.Errorf("conformance: parse %s: %w", path, err)
	}
	relaxOneOf(doc)
	// The document lists api.novu.co and eu.api.novu.co; the checker serves
	// any host, so route on paths alone.
	doc.Servers = nil
	// The document has defaults and examples of the wrong type (e.g.
	// AgentBehaviorDto); they say nothing about the wire, so are not checked.
	router, err := legacy.NewRouter(doc, openapi3.DisableExamplesValidation(), openapi3.DisableSchemaDefaultsValidation())
	if err != nil {
		return nil, fmt.Errorf("conformance: build router for %s: %w", path, err)
	}
	return &Spec{Path: path, Doc: doc, Router: router, LoadTime: time.Since(start)}, nil
}

// relaxOneOf turns oneOf into anyOf where one alternative is a free-form
// object. The document types step controlValues as oneOf [typed DTO, any
// object], which no object can satisfy: whatever matches the DTO matches the
// free form too. The SDKs read it as a union (anyOf), and so does Novu.
func relaxOneOf(doc *openapi3.T) {
	seen := map[*openapi3.Schema]bool{}
	var walk func(*openapi3.SchemaRef)
	walk = func(ref *openapi3.SchemaRef) {
		if ref == nil || ref.Value == nil || seen[ref.Value] {
			return
		}
		s := ref.Value
		seen[s] = true
		for _, alt := range s.OneOf {
			if v := alt.Value; v != nil && v.Type.Is("object") && len(v.Properties) == 0 && len(v.OneOf) == 0 &&
				len(v.AllOf) == 0 && (v.AdditionalProperties.Has == nil || *v.AdditionalProperties.Has) {
				s.AnyOf, s.OneOf, s.Discriminator = s.OneOf, nil, nil
				break
			}
		}
		for _, list := range [][]*openapi3.SchemaRef{s.OneOf, s.AnyOf, s.AllOf} {
			for _, r := range list {
				walk(r)
			}
		}
		for _, r := range s.Properties {
			walk(r)
		}
		walk(s.Items)
		walk(s.Not)
		walk(s.AdditionalProperties.Schema)
	}
	for _, ref := range doc.Components.Schemas {
		walk(ref)
	}
}

// Checker validates traffic and reports violations to a test.
type Checker struct {
	tb   testing.TB
	spec *Spec
}

// New returns a Checker for tb. A document that cannot be read or parsed
// fails tb at once, naming the path: the repository carries the document,
// so its absence is a broken checkout (or a wrong $NOVU_OPENAPI), never a
// reason to let traffic through unchecked.
func New(tb testing.TB) *Checker {
	tb.Helper()
	spec, err := Load()
	if err != nil {
		if os.Getenv("NOVU_OPENAPI") != "" {
			tb.Fatalf("%v ($NOVU_OPENAPI names it; unset it to use the repository's copy, %s)", err, RepoPath)
		}
		tb.Fatalf("%v (the repository's copy of Novu's OpenAPI document: restore it with git checkout -- %s, or set NOVU_OPENAPI to another copy)", err, RepoPath)
	}
	return &Checker{tb: tb, spec: spec}
}

// Wrap validates every request and response passing through h.
func (c *Checker) Wrap(h http.Handler) http.Handler { return c.wrap(h, true) }

// WrapResponses validates responses only: for tests that send invalid
// requests on purpose to see how the server answers.
func (c *Checker) WrapResponses(h http.Handler) http.Handler { return c.wrap(h, false) }

func (c *Checker) wrap(h http.Handler, requests bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/__emulator/") {
			h.ServeHTTP(w, r)
			return
		}
		body, err := io.ReadAll(r.Body)
		if err != nil {
			c.tb.Errorf("conformance: %s %s: read request body: %v", r.Method, r.URL.Path, err)
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		route, params, routeErr := c.spec.Router.FindRoute(r)
		var in *openapi3filter.RequestValidationInput
		if routeErr != nil {
			c.tb.Errorf("conformance: %s %s: no operation in %s: %v", r.Method, r.URL.Path, filepath.Base(c.spec.Path), routeErr)
		} else {
			in = &openapi3filter.RequestValidationInput{
				Request:    r.Clone(context.WithoutCancel(r.Context())),
				PathParams: params,
				Route:      route,
				Options: &openapi3filter.Options{
					MultiError:            true,
					IncludeResponseStatus: true,
					AuthenticationFunc:    apiKeyAuth,
					// Violations name the field and the rule; the schema dump
					// kin-openapi adds by default runs to hundreds of lines.
					SchemaValidationOptions: []openapi3.SchemaValidationOption{openapi3.DisableSchemaErrorDetails()},
				},
			}
			in.Request.Body = io.NopCloser(bytes.NewReader(body))
			if requests {
				if err := openapi3filter.ValidateRequest(r.Context(), in); err != nil {
					c.tb.Errorf("conformance: request %s %s (%s) violates the spec: %v",
						r.Method, r.URL.RequestURI(), route.Operation.OperationID, err)
				}
			}
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		rec := &recorder{header: http.Header{}, status: http.StatusOK}
		// A handler may abort (panic http.ErrAbortHandler) to drop the
		// connection; the panic passes through and nothing is checked.
		h.ServeHTTP(rec, r)
		maps.Copy(w.Header(), rec.header)
		w.WriteHeader(rec.status)
		_, _ = w.Write(rec.body.Bytes())
		if in != nil {
			if err := c.checkResponse(in, rec); err != nil {
				c.tb.Errorf("conformance: response %d to %s %s (%s) violates the spec: %v",
					rec.status, r.Method, r.URL.RequestURI(), in.Route.Operation.OperationID, err)
			}
		}
	})
}

// CheckResponse validates one response to a request the router knows; it
// is the check Wrap makes, for tests that hold a response already.
func (c *Checker) checkResponse(in *openapi3filter.RequestValidationInput, rec *recorder) error {
	body := rec.body.Bytes()
	status := rec.status
	if status == http.StatusBadGateway || status == http.StatusGatewayTimeout {
		return nil // a proxy's page, outside Novu's contract
	}
	if status >= 200 && status < 300 {
		var env map[string]json.RawMessage
		if json.Unmarshal(body, &env) == nil {
			data, ok := env["data"]
			if !ok || len(env) != 1 {
				return fmt.Errorf(`success body is not wrapped in {"data": …}`)
			}
			body = data
		}
	}
	if status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable || stringTyped(in, status) {
		return c.checkErrorObject(body)
	}
	out := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in,
		Status:                 status,
		Header:                 rec.header,
		Options:                in.Options,
	}
	out.SetBodyBytes(body)
	return openapi3filter.ValidateResponse(context.Background(), out)
}

// stringTyped reports an error status the document types as a bare
// string for this operation: the 409 that every operation inherits from
// Novu's common responses (an idempotency conflict's message), which
// Novu's exception filter sends as an error object like any other, e.g.
// an environment variable whose key exists.
func stringTyped(in *openapi3filter.RequestValidationInput, status int) bool {
	if status < 400 || in.Route == nil || in.Route.Operation == nil {
		return false
	}
	r := in.Route.Operation.Responses.Status(status)
	if r == nil || r.Value == nil {
		return false
	}
	mt := r.Value.Content.Get("application/json")
	return mt != nil && mt.Schema != nil && mt.Schema.Value != nil && mt.Schema.Value.Type.Is("string")
}

// checkErrorObject validates body against ErrorDto.
func (c *Checker) checkErrorObject(body []byte) error {
	ref := c.spec.Doc.Components.Schemas["ErrorDto"]
	if ref == nil {
		return errors.New("document has no ErrorDto schema")
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return fmt.Errorf("error body is not JSON: %w", err)
	}
	return ref.Value.VisitJSON(v, openapi3.MultiErrors(), openapi3.DisableSchemaErrorDetails())
}

// apiKeyAuth accepts the document's secretKey scheme when the request
// carries "Authorization: ApiKey <key>"; whether the key is right is the
// server's business.
func apiKeyAuth(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	auth := in.RequestValidationInput.Request.Header.Get("Authorization")
	if !strings.HasPrefix(auth, "ApiKey ") || len(auth) == len("ApiKey ") {
		return errors.New(`no "Authorization: ApiKey <key>" header`)
	}
	return nil
}

type recorder struct {
	header http.Header
	status int
	wrote  bool
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) WriteHeader(status int) {
	if !r.wrote {
		r.status, r.wrote = status, true
	}
}

func (r *recorder) Write(p []byte) (int, error) {
	r.wrote = true
	return r.body.Write(p)
}
