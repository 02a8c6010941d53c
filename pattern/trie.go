package pattern

// trie is a byte trie whose nodes carry the group of the key ending there.
type trie struct {
	nodes []trieNode
}

type trieNode struct {
	labels []byte
	next   []int32
	out    int32 // group, or -1
}

func (t *trie) insert(key string, reversed bool, g int32) {
	if len(t.nodes) == 0 {
		t.nodes = append(t.nodes, trieNode{out: -1})
	}
	n := int32(0)
	for i := 0; i < len(key); i++ {
		c := key[i]
		if reversed {
			c = key[len(key)-1-i]
		}
		node := &t.nodes[n]
		found := int32(-1)
		for j, l := range node.labels {
			if l == c {
				found = node.next[j]
				break
			}
		}
		if found < 0 {
			found = int32(len(t.nodes))
			node.labels = append(node.labels, c)
			node.next = append(node.next, found)
			t.nodes = append(t.nodes, trieNode{out: -1})
		}
		n = found
	}
	t.nodes[n].out = g
}

// walk marks the group of every key that is a prefix of v (a suffix when
// reversed).
func (t *trie) walk(v []byte, reversed bool, st *state) {
	if len(t.nodes) == 0 {
		return
	}
	n := int32(0)
	if g := t.nodes[0].out; g >= 0 {
		st.emit(g)
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		if reversed {
			c = v[len(v)-1-i]
		}
		node := &t.nodes[n]
		next := int32(-1)
		for j, l := range node.labels {
			if l == c {
				next = node.next[j]
				break
			}
		}
		if next < 0 {
			return
		}
		n = next
		if g := t.nodes[n].out; g >= 0 {
			st.emit(g)
		}
	}
}

// step returns n's child on c, or -1.
func (t *trie) step(n int32, c byte) int32 {
	node := &t.nodes[n]
	for j, l := range node.labels {
		if l == c {
			return node.next[j]
		}
	}
	return -1
}

// find returns the out value of key's node (key reversed when reversed),
// or -1 when the trie has no such key.
func (t *trie) find(key string, reversed bool) int32 {
	if len(t.nodes) == 0 {
		return -1
	}
	n := int32(0)
	for i := 0; i < len(key); i++ {
		c := key[i]
		if reversed {
			c = key[len(key)-1-i]
		}
		if n = t.step(n, c); n < 0 {
			return -1
		}
	}
	return t.nodes[n].out
}
