import { expect } from '@open-wc/testing';
import { ViewerStage } from '../../src/render/viewer-stage.js';
import { viewState } from '../../src/render/view.js';

describe('ViewerStage', () => {
  it('draws each dirty layer once per animation frame, however often it is asked', async () => {
    const div = document.createElement('div');
    document.body.append(div);
    const stage = new ViewerStage(div);
    const layer = stage.createLayer('test');
    let draws = 0;
    const original = layer.draw.bind(layer);
    layer.draw = () => {
      draws++;
      return original();
    };
    let imageDraws = 0;
    const originalImage = stage.imageLayer.draw.bind(stage.imageLayer);
    stage.imageLayer.draw = () => {
      imageDraws++;
      return originalImage();
    };
    await stage.nextDraw();
    draws = 0;
    imageDraws = 0;
    for (let i = 0; i < 50; i++) stage.requestDraw(layer);
    await stage.nextDraw();
    expect(draws).to.equal(1);
    expect(imageDraws).to.equal(0);
    stage.destroy();
    div.remove();
  });

  it('keeps image-space layers on the image transform, screen-space layers untouched', () => {
    const div = document.createElement('div');
    const stage = new ViewerStage(div);
    const image = stage.createLayer('img');
    const screen = stage.createLayer('screen', { imageSpace: false, zIndex: 5 });
    stage.setView(viewState({ zoom: 2, centerX: 10, centerY: 10, aspect: 1.5, width: 100, height: 80 }));
    expect(image.scale()).to.deep.equal({ x: 2, y: 3 });
    expect(image.position()).to.deep.equal({ x: 30, y: 10 });
    expect(screen.scale()).to.deep.equal({ x: 1, y: 1 });
    // A layer added later picks up the current transform; z order follows zIndex, image lowest.
    const late = stage.createLayer('late', { zIndex: 1 });
    expect(late.scale()).to.deep.equal({ x: 2, y: 3 });
    expect(stage.imageLayer.zIndex()).to.equal(0);
    expect(screen.zIndex()).to.be.greaterThan(late.zIndex());
    stage.destroy();
  });
});
