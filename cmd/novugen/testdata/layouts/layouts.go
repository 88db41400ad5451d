// Package layouts declares layouts Novu would refuse or render wrong: a
// layout that reads the payload (Novu gives a layout only content and the
// subscriber), misspells a subscriber attribute and has no {{ content }};
// one that is no whole HTML document; a layoutId Novu would misread; and
// two declarations of one layoutId; a translation read with translations
// off.
package layouts

import "github.com/novugen/novugen/dsl"

type P struct {
	Name string `json:"name"`
}

var Brand = dsl.DefineLayout("brand", dsl.LayoutSettings{
	Name: "Brand",
	Body: "<html><body>Hi {{ subscriber.fristName }}, {{ payload.name }}</body></html>",
})

var Fragment = dsl.DefineLayout("fragment", dsl.LayoutSettings{
	Name: "Fragment",
	Body: "<div>{{ content }}</div>",
})

var Hexy = dsl.DefineLayout("0123456789abcdef01234567", dsl.LayoutSettings{
	Name: "Hex",
	Body: "<html><body>{{ content }}</body></html>",
})

var Twin = dsl.DefineLayout("brand", dsl.LayoutSettings{
	Name: "Brand again",
	Body: "<html><body>{{ content }}</body></html>",
})

var Mail = dsl.Define[P]("mail", dsl.Settings{Name: "Mail", Active: dsl.Active},
	dsl.Email("a", "A", dsl.EmailControls{Subject: "A", Body: "{{ payload.name }}", Layout: Brand}),
	dsl.Email("b", "B", dsl.EmailControls{Subject: "B", Body: "{{ payload.name }}", Layout: Fragment}),
	dsl.Email("c", "C", dsl.EmailControls{Subject: "C", Body: "{{ payload.name }}", Layout: Hexy}),
	dsl.Email("d", "D", dsl.EmailControls{Subject: "D", Body: "{{ payload.name }}", Layout: Twin}),
)

// Untranslated reads a translation key with translations off; Translated
// may.
var Untranslated = dsl.DefineLayout("untranslated", dsl.LayoutSettings{
	Name: "Untranslated",
	Body: "<html><body>{{ t.greeting }} {{ content }}</body></html>",
})

var Translated = dsl.DefineLayout("translated", dsl.LayoutSettings{
	Name:               "Translated",
	Body:               "<html><body>{{ t.greeting }} {{ content }}</body></html>",
	TranslationEnabled: true,
})

var Intl = dsl.Define[P]("intl", dsl.Settings{Name: "Intl", Active: dsl.Active},
	dsl.Email("a", "A", dsl.EmailControls{Subject: "A", Body: "{{ payload.name }}", Layout: Untranslated}),
	dsl.Email("b", "B", dsl.EmailControls{Subject: "B", Body: "{{ payload.name }}", Layout: Translated}),
)

// footer makes layouts at one DefineLayout call: two bodies under one
// layoutId are a duplicate all the same.
func footer(text string) dsl.Layout {
	return dsl.DefineLayout("footer", dsl.LayoutSettings{Name: "Footer", Body: "<html><body>{{ content }}" + text + "</body></html>"})
}

var Footers = dsl.Define[P]("footers", dsl.Settings{Name: "Footers", Active: dsl.Active},
	dsl.Email("a", "A", dsl.EmailControls{Subject: "A", Body: "{{ payload.name }}", Layout: footer("Bye")}),
	dsl.Email("b", "B", dsl.EmailControls{Subject: "B", Body: "{{ payload.name }}", Layout: footer("Ciao")}),
)
