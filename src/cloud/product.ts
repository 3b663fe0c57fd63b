// A Product (the impt Production Guide, "Product"): "typically, you have just one Product per actual product";
// every device group, and so every deployment and device, belongs to one.

export interface Product {
  readonly id: string;
  readonly name: string;
  readonly description: string;
}
