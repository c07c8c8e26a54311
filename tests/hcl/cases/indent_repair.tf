a = 1
  bb = {
  c = 1
  ddd = 2
}
eeee = 3
