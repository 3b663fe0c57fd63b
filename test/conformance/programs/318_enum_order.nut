enum E { alpha, beta, gamma, delta, eps, zeta, eta, theta, iota, kappa, lam, mu, nu, xi, omicron, pi, rho }
foreach (k, v in getconsttable().E) print(k + " ");
print("\n");
enum Colour { red, green = 5, blue, cyan = "c", magenta = 2.5, yellow, black, white }
foreach (k, v in getconsttable().Colour) print(k + "=" + v + " ");
print("\n");
local t = {a=1, b=2, c=3, d=4, e=5, f=6, g=7};
foreach (k, v in t) print(k + " ");
print("\n");
