a = 1 /* inline */
bb = 2
/* block
   comment   kept */
c = 3
// slash comment
ddd = 4 // trailing
