// Package parts holds a payload type declared in another package of the
// module: the catalog reads its doc comments from the source.
package parts

// Address is where a parcel goes.
type Address struct {
	// City is the town | place, as the carrier spells it.
	City string `json:"city"`
	Zip  string `json:"zip,omitempty"` // postal code, *if* any
}
